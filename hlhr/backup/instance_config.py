"""The instance config in a backup: secrets taken out unless asked for, put back carefully.

A setting is secret when its name says so (SECRET, PASSWORD, TOKEN, KEY, CREDENTIAL) or it
holds a database URL (which carries the password), or when a dictionary it is built from
has such a key (``{"password": ...}``). Each such assignment becomes a comment (plus
``pass`` inside a block), so the file still reads as Python and an operator sees what to
fill in.
"""

import ast
import os
import re
import secrets
import tempfile
from pathlib import Path

SECRET_WORDS = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|DATABASE_UR[LI]", re.I)


class UnreadableConfig(ValueError):
    """The config is not valid Python, so its secrets cannot be found."""


def without_secrets(source: str) -> tuple[str, list[str]]:
    """(source with secret assignments replaced by ``pass``, the names removed).

    :raise UnreadableConfig: the file does not parse.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise UnreadableConfig(f"instance config is not valid Python ({error})") from error
    lines = source.splitlines(keepends=True)
    removed = []
    for node in sorted(_secret_assignments(tree), key=lambda n: n.lineno, reverse=True):
        names = _target_names(node)
        indent = lines[node.lineno - 1][: node.col_offset]
        statement = "pass  " if indent else ""  # inside a block, the block needs a statement
        note = f"{indent}{statement}# {', '.join(names)}: removed by `flask backup` (secret)\n"
        lines[node.lineno - 1 : node.end_lineno] = [note]
        removed[:0] = names
    return "".join(lines), removed


def _secret_assignments(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and _is_secret(node):
            yield node


def _is_secret(node) -> bool:
    if any(SECRET_WORDS.search(name) for name in _target_names(node)):
        return True
    keys = (k for d in ast.walk(node) if isinstance(d, ast.Dict) for k in d.keys)
    return any(isinstance(k, ast.Constant) and SECRET_WORDS.search(str(k.value)) for k in keys)


def _target_names(node) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def has_secret_key(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.Assign | ast.AnnAssign) and "SECRET_KEY" in _target_names(node)
        for node in ast.walk(tree)
    )


def with_fresh_secret_key(source: str) -> str:
    """The config plus a new random SECRET_KEY (staff sign in again; nothing else breaks)."""
    return source.rstrip("\n") + (
        "\n\n# Written by `flask restore`: the backup held no SECRET_KEY.\n"
        f"SECRET_KEY = {secrets.token_hex(32)!r}\n"
    )


def write_private(path: Path, source: str) -> None:
    """Write ``path`` readable by its owner only, through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(source)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
