"""Swap two folders in one step, so that the published folder is never missing, even for a moment.

Replacing a published tree with two renames (the live tree aside, then the new one in) leaves a
moment with no tree at all: a build killed there leaves no site, and a web server reading the
folder then answers 404. On Linux, renameat2(2) with RENAME_EXCHANGE swaps the two paths at once:
the folder holds the old tree or the new one, never neither. Systems without it (other kernels,
a file system that does not support the flag) get `False` and fall back to two renames
(output.py says how the next build puts the last good tree back).
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: what renameat2 says when this kernel or file system cannot exchange (nothing was moved)
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def exchange(new: Path, live: Path) -> bool:
    """Swap the folders `new` and `live` (both must exist) in one step; return False, having moved
    nothing, where this system cannot. Raises OSError naming both paths on any other failure."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(live), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(live), None, str(new))
