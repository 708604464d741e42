# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a piece of code inside a container's network namespace, as the container itself would connect.

A socket belongs to the network namespace it was created in and keeps it: code run in ``network_namespace(pid)``
connects to the container's own 127.0.0.1, so a check needs no published port and no client rule for the Docker
host (PostgreSQL's pg_hba rejects the host's gateway address on purpose). Linux only, as root (CAP_SYS_ADMIN):
setns(2) changes the namespace of the calling thread, and the thread is always switched back."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os

CLONE_NEWNET = 0x40000000


def _setns(fd: int) -> None:
    if hasattr(os, "setns"):  # Python 3.12 and later
        os.setns(fd, CLONE_NEWNET)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


@contextlib.contextmanager
def network_namespace(pid: int):
    """Enter the network namespace of process ``pid`` for the body of the ``with`` block."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(f"/proc/{int(pid)}/ns/net", os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        try:
            yield
        finally:
            _setns(own)
    finally:
        os.close(own)
