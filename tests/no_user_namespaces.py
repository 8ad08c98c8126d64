"""Run a command as an ordinary user on a machine where user namespaces are disabled: ``UID COMMAND...``.

The sysctl ``user.max_user_namespaces`` (0 disables them) is kept per user
namespace and binds everything nested in it: the command runs, as ``UID``,
in a user namespace of its own whose limit is 0, so the rest of the machine
keeps its setting.  Started by root (the tests of ``test_cluster.py``).
"""

import os
import signal
import sys

from graders.fastgrade import jail
from graders.fastgrade.workers import _keep_environment_readable


def main(uid, command):
    _keep_environment_readable()  # the Python environment may lie in root's private home
    ready, mapped = os.pipe(), os.pipe()
    child = os.fork()
    if child == 0:
        jail.unshare(jail.NEWUSER)
        os.write(ready[1], b"x")
        os.read(mapped[0], 1)
        with open("/proc/sys/user/max_user_namespaces", "w") as limit:  # root of this namespace may
            limit.write("0")
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        jail.die_with_parent()  # the change of user cleared it
        os.execvp(command[0], command)
    os.read(ready[0], 1)
    for kind in ("uid", "gid"):
        with open(f"/proc/{child}/{kind}_map", "w") as ids:
            ids.write(f"0 0 1\n{uid} {uid} 1\n")
    os.write(mapped[1], b"x")
    signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGKILL))
    jail.die_with_parent()
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2:]))
