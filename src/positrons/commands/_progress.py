"""Feedback on long work for the command line: a one-line summary and progress bars on stderr.

The library reports progress through plain callbacks ``progress(done, total)`` that callers
pass in (no global state); this module turns them into bars (tqdm) for a terminal.  Bars are
shown only when standard error is a terminal and ``--quiet`` was not given, so piped or
redirected output and the tests stay clean.
"""

from __future__ import annotations

import sys


class Feedback:
    """Progress bars and status lines for one command run.

    ``enabled`` is False with ``--quiet`` or when stderr is not a terminal.
    """

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = not quiet and isatty()
        self._bars: dict[str, object] = {}

    def say(self, text: str) -> None:
        """One status line (e.g. what is being computed, before a long step)."""
        if self.enabled:
            print(text, file=self.stream, flush=True)

    def callback(self, what: str):
        """A ``progress(done, total)`` callback drawing a bar labelled ``what`` (None when disabled)."""
        if not self.enabled:
            return None

        def progress(done: int, total: int) -> None:
            bar = self._bars.get(what)
            if bar is None:
                from tqdm import tqdm

                bar = self._bars[what] = tqdm(total=total, desc=what, file=self.stream, leave=False,
                                              dynamic_ncols=True, mininterval=0.2)
            bar.total = total
            bar.n = done
            bar.refresh()
            if done >= total:
                bar.close()
                self._bars.pop(what, None)

        return progress

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
