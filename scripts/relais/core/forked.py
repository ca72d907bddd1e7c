"""Run part of the build in a forked child process, and bring its result (or its failure) back.

A forked child starts with the parent's memory (the checked directory is never pickled) and gives back everything
it allocated when it ends. Where processes cannot be forked, the work runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ChildFailed(Exception):
    """The child raised or died. `original` is its exception when it could be sent back; the message carries the
    child's traceback."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


# The work of the child being started. Forked children inherit it, so the work itself is never pickled.
_pending: Callable[[], Any] | None = None


def _child_main(connection: Any) -> None:
    assert _pending is not None
    # The parent decides: Ctrl+C reaches it too and it stops the child (SIGTERM ends the child at once, quietly).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        connection.send(("ok", _pending()))
    except BaseException as exc:
        connection.send(("error", _sendable(exc), traceback.format_exc()))
    finally:
        connection.close()


def _sendable(exc: BaseException) -> BaseException | None:
    try:
        return pickle.loads(pickle.dumps(exc))  # type: ignore[no-any-return]
    except Exception:
        return None


@dataclass
class Child(Generic[T]):
    """A started child, or (without fork) the result computed in place."""

    process: Any = None
    connection: Any = None
    done: tuple[T] | None = None

    def result(self) -> T:
        if self.done is not None:
            return self.done[0]
        try:
            message = self.connection.recv()
        except EOFError:
            self.process.join()
            raise ChildFailed(f"the {self.process.name} process died (exit code {self.process.exitcode})") from None
        self.process.join()
        if message[0] != "ok":
            _, original, child_traceback = message
            raise ChildFailed(child_traceback, original)
        self.done = (message[1],)
        return message[1]

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


@contextmanager
def started(work: Callable[[], T], name: str) -> Iterator[Child[T]]:
    """Start `work()` in a forked process named `name`; the child is stopped if the caller leaves early."""
    global _pending
    if "fork" not in multiprocessing.get_all_start_methods():
        yield Child(done=(work(),))
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _pending = work
    try:
        process = context.Process(target=_child_main, args=(sender,), name=name)
        process.start()
    finally:
        _pending = None
    sender.close()
    child: Child[T] = Child(process=process, connection=receiver)
    try:
        yield child
    finally:
        child.stop()
        receiver.close()


def call(work: Callable[[], T], name: str) -> T:
    """`work()` in a forked child, waited for. Its exception is raised here as it was raised there when it can be
    sent back (else ChildFailed with the child's traceback)."""
    with started(work, name) as child:
        try:
            return child.result()
        except ChildFailed as failed:
            if failed.original is not None:
                raise failed.original from None
            raise
