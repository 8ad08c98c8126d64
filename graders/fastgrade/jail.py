"""The jail around one grading kernel: an allow-listed file tree in fresh namespaces, built before learner code runs.

This module runs in the zygote's forked children and imports only the standard
library (the zygote must never hold the course's checks or solutions, since
every kernel inherits its memory).  For one kernel start it makes:

    keeper   stays outside, on the zygote's side: the worker's only handle on
    |        the kernel (signals, "exited"), limits, clean-up
    owner    unshares user, mount, PID, IPC, network and UTS namespaces; the
    |        keeper maps its user (a uid of its own when root, else the grader's)
    init     PID 1 of the new PID namespace: builds the file tree, reaps, and
    |        takes every process of the namespace with it when it dies
    kernel   PID 2: drops every capability, becomes uid 1000 of a nested user
             namespace and runs ipykernel on sockets the keeper bound for it

The file tree is a new tmpfs root (``pivot_root``) holding only: the Python
environment and system libraries, read-only and without the course's own
packages; ``/home/learner`` (the submission's files, ``/tmp`` and ``/dev/shm``
inside it: one size- and inode-limited tmpfs); a minimal ``/dev``; ``/proc`` of
the new PID namespace.  The kernel's five sockets are abstract Unix sockets
bound by the keeper in the grader's network namespace and handed over as file
descriptors, so the kernel has no socket folder to tamper with and no way to
reach the zygote or another kernel.

No privileged process ever opens, follows or changes a path the kernel can
write: the keeper writes only to ``/proc/<owner>/{uid,gid}_map`` and to its own
cgroups, and the jail's tree is built by ``init`` before the kernel exists.
"""

import base64
import ctypes
import json
import os
import re
import resource
import secrets
import signal
import socket
import struct
import sys
import time
from pathlib import Path

NEWNS, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET = 0x20000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 4096, 16384, 1 << 18
MNT_DETACH, AT_RECURSIVE, AT_FDCWD = 2, 0x8000, -100
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
SYS_PIVOT_ROOT, SYS_MOUNT_SETATTR = 155, 442  # x86-64; mount_setattr has the same number everywhere
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP, PR_CAP_AMBIENT = 1, 4, 38, 24, 47
UID_BASE = 2_000_000_000  # root mode: kernel uids are UID_BASE + the keeper's pid
LEARNER_UID = 1000  # the kernel's uid inside its own user namespace
HOME = "/home/learner"
CONNECTION_FILE = "/run/kernel.json"
SOCKET_NAMES = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
SYSTEM_PATHS = ("/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/bin", "/bin", "/lib", "/lib64", "/lib32", "/sbin")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "hosts")
DEVICES = ("null", "zero", "full", "random", "urandom")
COURSE_PACKAGES = ("graders", "solutions")  # never visible in a jail, however installed

_libc = ctypes.CDLL(None, use_errno=True)


class JailError(OSError):
    """A step of building a jail failed; the kernel is never started unconfined."""


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise JailError(errno, f"{what}: {os.strerror(errno)}")


def mount(source, target, fstype=None, flags=0, data=None):
    _check(_libc.mount(source and source.encode(), str(target).encode(), fstype and fstype.encode(),
                       ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _read_only(target, recursive=True):
    """Make ``target`` (and the mounts under it) read-only, nosuid and nodev."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0, 0)
    flags = AT_RECURSIVE if recursive else 0
    _check(_libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, str(target).encode(), flags, ctypes.byref(attr),
                         ctypes.sizeof(attr)), f"mount_setattr {target}")


def unshare(flags):
    _check(_libc.unshare(flags), "unshare")


def _prctl(option, arg):
    _check(_libc.prctl(option, ctypes.c_ulong(arg), 0, 0, 0), f"prctl({option})")


def die_with_parent():
    """SIGKILL this process when its parent dies (set again after every change of user)."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


# -- what the jail may show ---------------------------------------------------------
def allowed_paths():
    """Read-only host paths every jail shows: the Python environment and the system's libraries."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                os.path.dirname(os.path.realpath(sys.executable))}
    return sorted({os.path.realpath(p) for p in prefixes} | set(SYSTEM_PATHS), key=len)


def course_package_paths(roots):
    """Every copy of the course's own packages reachable under ``roots`` through ``sys.path``, to cover up.

    Found by name in each import-path folder and its ``__pycache__`` (a wheel
    or site-packages install: ``solutions/``, ``graders/``, their
    ``.dist-info``, an editable install's finder, compiled too, and ``.pth``),
    whatever the install mode.
    """
    found = set()
    for entry in map(os.path.realpath, filter(os.path.isdir, sys.path)):
        if any(is_under(entry, root) for root in roots):
            for folder in filter(os.path.isdir, (entry, os.path.join(entry, "__pycache__"))):
                found.update(os.path.join(folder, name) for name in os.listdir(folder)
                             if name.split(".")[0].split("-")[0] in COURSE_PACKAGES or "mdsi_course" in name)
    return sorted(found)


def is_under(path, parent):
    return path == parent or path.startswith(parent.rstrip("/") + "/")


# -- the keeper: on the zygote's side ---------------------------------------------------
def bind_kernel_sockets(ip):
    """Listening abstract Unix sockets for the kernel's five channels (``ipc://@name-N``)."""
    if not re.fullmatch(r"@mdsi-[0-9a-f]{32}", str(ip)):
        raise JailError(f"not a kernel socket name: {ip!r}")
    fds = {}
    for port in range(1, len(SOCKET_NAMES) + 1):
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind("\0" + f"{ip.removeprefix('@')}-{port}")
        listener.listen(128)
        fds[f"ipc://{ip}-{port}"] = listener.detach()
    return fds


def write_id_maps(pid, rootless, outside_uid, outside_gid):
    """Map root of ``pid``'s new user namespace to ``outside_uid`` (written from the parent namespace)."""
    if rootless:
        Path(f"/proc/{pid}/setgroups").write_text("deny")
    Path(f"/proc/{pid}/uid_map").write_text(f"0 {outside_uid} 1")
    Path(f"/proc/{pid}/gid_map").write_text(f"0 {outside_gid} 1")


# -- init: PID 1 inside, builds the tree ----------------------------------------------------
def open_sources(spec):
    """Open everything the jail shows from the host, before the owner gives up its user id.

    Called right after unsharing the mount namespace (bind mounts need
    sources in the caller's namespace), while the process still has the
    grader's user id and can reach a Python environment under a private home.
    """
    def opened(paths):
        return {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in paths if os.path.lexists(path)}

    return {"allowed": opened(spec["allowed"]), "devices": opened(f"/dev/{name}" for name in DEVICES),
            "etc": opened(f"/etc/{name}" for name in ETC_FILES)}


def build_tree(spec, sources):
    """Assemble the jail's root on a new tmpfs and ``pivot_root`` into it; the caller is PID 1, root in the jail.

    ``sources`` are the host paths :func:`open_sources` opened.
    """
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    socket.sethostname("sandbox")
    devices = {Path(path).name: fd for path, fd in sources["devices"].items()}
    etc = {Path(path).name: fd for path, fd in sources["etc"].items()}
    root = Path("/tmp")  # our own mount namespace: covering it hides nothing from anyone else
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,nr_inodes=4096,mode=0755")
    _make_home(root, spec)  # first: an environment that lives under /tmp is then shown inside the new /tmp
    for path, fd in sources["allowed"].items():
        _bind(fd, root, path)
    for path in spec["masked"]:  # the course's own packages, wherever the environment has them
        target = root / path.lstrip("/")
        if target.is_dir() and not target.is_symlink():
            mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,nr_inodes=1,mode=0")
        elif target.exists():
            mount(f"/proc/self/fd/{devices['null']}", target, None, MS_BIND)
    for path in sources["allowed"]:
        if not (root / path.lstrip("/")).is_symlink():
            _read_only(root / path.lstrip("/"))
    _make_dev(root, devices)
    _make_etc(root, etc)
    (root / "proc").mkdir()
    mount("proc", root / "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    (root / "run").mkdir()
    connection = root / CONNECTION_FILE.lstrip("/")
    connection.write_text(json.dumps(spec["connection"]))
    os.chown(connection, 0, 0)
    connection.chmod(0o444)
    for fd in [*sources["allowed"].values(), *devices.values(), *etc.values()]:
        os.close(fd)
    os.chdir(root)
    _check(_libc.syscall(SYS_PIVOT_ROOT, b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "detach the host's root")
    os.chdir("/")
    _read_only("/", recursive=False)


def forbid_new_namespaces():
    """Let nothing in the jail make namespaces of its own, but the one user namespace the kernel drops into.

    A kernel that could make a user and a mount namespace could mount a tmpfs
    of its own, outside the disk, inode and (rootless) memory limits.  The
    limits of the jail's user namespace bind every namespace nested in it.
    """
    for kind in ("mnt", "pid", "net", "ipc", "uts", "cgroup", "time"):
        path = Path(f"/proc/sys/user/max_{kind}_namespaces")
        if path.exists():
            path.write_text("0")
    Path("/proc/sys/user/max_user_namespaces").write_text("1")


def _bind(fd, root, path):
    """Show the host's ``path`` (opened as ``fd``) at the same place under ``root``; symlinks stay symlinks."""
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.islink(path):
        target.symlink_to(os.readlink(path))
        return
    if os.path.isdir(f"/proc/self/fd/{fd}"):
        target.mkdir(exist_ok=True)
    else:
        target.touch()
    mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)


def _make_dev(root, devices):
    dev = root / "dev"
    dev.mkdir()
    mount("tmpfs", dev, "tmpfs", MS_NOSUID, "size=64k,nr_inodes=64,mode=0755")
    for name, fd in devices.items():
        (dev / name).touch()
        mount(f"/proc/self/fd/{fd}", dev / name, None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2"), ("shm", f"{HOME}/.shm")):
        (dev / name).symlink_to(target)
    _read_only(dev, recursive=False)


def _make_etc(root, etc):
    folder = root / "etc"
    folder.mkdir(exist_ok=True)
    (folder / "passwd").write_text(f"root:x:0:0::/:/bin/sh\nlearner:x:{LEARNER_UID}:{LEARNER_UID}::{HOME}:/bin/sh\n")
    (folder / "group").write_text(f"root:x:0:\nlearner:x:{LEARNER_UID}:\n")
    (folder / "hostname").write_text("sandbox\n")
    for name, fd in etc.items():
        target = folder / name
        target.mkdir() if os.path.isdir(f"/proc/self/fd/{fd}") else target.touch()
        mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
        _read_only(target)


def _make_home(root, spec):
    """The only writable place: the learner's home, holding the submission's files, /tmp and /dev/shm.

    Created by the jail's root, which is the kernel's uid 1000 once it drops
    into its nested user namespace: the kernel owns everything here.
    """
    home = root / HOME.lstrip("/")
    home.mkdir(parents=True)
    limits = spec["limits"]
    mount("tmpfs", home, "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={limits['disk_mb']}m,nr_inodes={limits['inodes']},mode=0700")
    write_files(home, spec["files"])
    for name in (".tmp", ".shm"):
        (home / name).mkdir(mode=0o1777)
    (root / "tmp").mkdir()
    mount(str(home / ".tmp"), root / "tmp", None, MS_BIND)


def write_files(folder, files):
    """Write the submission's other files (``{relative path: base64}``) into ``folder``."""
    for name, data in files.items():
        path = Path(folder, name)
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise JailError(f"refusing to write the file {name!r} outside the working folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


def run_init(kernel_pid):
    """PID 1's life after the kernel started: pass interrupts on, reap orphans, end with the kernel."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda received, _: os.kill(kernel_pid, received))
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == kernel_pid:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


# -- the kernel: PID 2 ------------------------------------------------------------------
_CAP_LAST = 63


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def limit(limits, jailed):
    """The rlimits of a kernel, inherited by everything it starts.

    The process count is per user, so it is only set in a jail, where the
    kernel's user (in its own user namespace) runs nothing else.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["disk_mb"] << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_mb"] << 20,) * 2)
    if jailed:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"],) * 2)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with an error, not a kill


def drop_privileges():
    """Become uid 1000 of a nested user namespace with no capabilities, for good.

    The process is made dumpable first (the owner's change of user made it
    not), so that it may write its own id maps; init stays undumpable, out of
    the kernel's reach.
    """
    _prctl(PR_SET_DUMPABLE, 1)
    unshare(NEWUSER)
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{LEARNER_UID} 0 1")
    Path("/proc/self/gid_map").write_text(f"{LEARNER_UID} 0 1")
    for cap in range(_CAP_LAST + 1):
        if _libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0) != 0 and ctypes.get_errno() != 22:
            _check(-1, "drop the capability bounding set")
    _prctl(PR_CAP_AMBIENT, 4)  # PR_CAP_AMBIENT_CLEAR_ALL
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)


def close_fds_except(keep):
    """Close every inherited descriptor but 0-2 and ``keep``."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def use_prebound_sockets(fds):
    """Make ZeroMQ adopt the keeper's listening sockets when ipykernel binds ``ipc://@name-N``."""
    import zmq

    bind = zmq.Socket.bind

    def bind_prebound(self, address):
        fd = fds.pop(address, None)
        if fd is not None:
            self.setsockopt(zmq.USE_FD, fd)
        return bind(self, address)

    zmq.Socket.bind = bind_prebound


def random_ip():
    """A fresh abstract socket name for one kernel start (unguessable, never a file)."""
    return f"@mdsi-{secrets.token_hex(16)}"


def peer_uid(connection):
    """The user id of the process at the other end of a Unix socket."""
    _, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    return uid


def wait_readable(fd, seconds):
    """True if ``fd`` becomes readable within ``seconds``."""
    import select

    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([fd], [], [], left)[0]:
            return True
    return False
