"""``mdsi-setup``: configure a student's Jupyter for the course, once.

Writes three files in the user's Jupyter config folder (``~/.jupyter``, or
``$JUPYTER_CONFIG_DIR``), the places nbgrader and JupyterLab read:

- ``nbgrader_config.py``: the course id and the exchange folder, which the
  Assignments tab, ``nbgrader fetch_assignment`` and ``nbgrader submit`` need
  (without them the tab says "Error fetching courses!");
- ``labconfig/page_config.json``: turns off nbgrader's instructor panels
  (formgrader, course list, create assignment), leaving the Assignments tab
  and the Validate button;
- ``jupyter_server_config.json``: turns off the matching server extensions.

(``jupyter server extension disable --user`` cannot do the last step: it only
knows extensions enabled at the same level, and nbgrader enables its own in
the environment.)  JSON files are merged with what is already there; an
existing, different ``nbgrader_config.py`` is kept unless ``--force``.
"""

import argparse
import json
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir

COURSE_ID = "mdsi"
EXCHANGE = "/srv/nbgrader/exchange"
INSTRUCTOR_PANELS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                     "@jupyter/nbgrader:create-assignment")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


def nbgrader_config(course_id, exchange):
    """The text of a student's ``nbgrader_config.py``."""
    return (f'"""nbgrader for a student of the {course_id} course (written by mdsi-setup)."""\n\n'
            "c = get_config()  # noqa: F821 - provided by nbgrader\n"
            f"c.CourseDirectory.course_id = {course_id!r}\n"
            f"c.Exchange.root = {exchange!r}\n")


def _merge_json(path, update):
    """Deep-merge ``update`` into the JSON object in ``path`` (created if missing)."""
    try:
        data = json.loads(path.read_text()) if path.exists() else {}
    except ValueError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); fix or remove it and run mdsi-setup again") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a JSON object; fix or remove it and run mdsi-setup again")
    stack = [(data, update)]
    while stack:
        target, changes = stack.pop()
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                stack.append((target[key], value))
            else:
                target[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def configure(config_dir, course_id=COURSE_ID, exchange=EXCHANGE, force=False):
    """Write the three files in ``config_dir``; return the paths written."""
    config_dir = Path(config_dir)
    config_dir.mkdir(parents=True, exist_ok=True)
    nbgrader = config_dir / "nbgrader_config.py"
    text = nbgrader_config(course_id, exchange)
    if nbgrader.exists() and nbgrader.read_text() != text and not force:
        raise FileExistsError(f"{nbgrader} exists with other settings; compare it with the lines below, "
                              f"or run mdsi-setup --force to replace it:\n{text}")
    nbgrader.write_text(text)
    page = config_dir / "labconfig" / "page_config.json"
    _merge_json(page, {"disabledExtensions": dict.fromkeys(INSTRUCTOR_PANELS, True)})
    server = config_dir / "jupyter_server_config.json"
    _merge_json(server, {"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)}})
    return [nbgrader, page, server]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mdsi-setup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exchange", default=EXCHANGE, help=f"the course's exchange folder (default {EXCHANGE})")
    parser.add_argument("--course", default=COURSE_ID, help=f"the course id (default {COURSE_ID})")
    parser.add_argument("--force", action="store_true", help="replace an existing nbgrader_config.py")
    args = parser.parse_args(argv)
    try:
        written = configure(jupyter_config_dir(), args.course, args.exchange, args.force)
    except (OSError, ValueError) as exc:
        print(f"mdsi-setup: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    if not Path(args.exchange).is_dir():
        print(f"note: the exchange {args.exchange} does not exist on this machine; ask your instructor "
              "for the right folder (mdsi-setup --exchange DIR), or download the notebooks instead")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
