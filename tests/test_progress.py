"""Progress feedback: bars on a terminal, silence when piped or with --quiet."""

import io

from positrons.commands._progress import Feedback


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_bars_and_status_lines_on_a_terminal():
    stream = _Terminal()
    fb = Feedback(stream=stream)
    fb.say("computing the MED energy response")
    cb = fb.callback("response")
    for i in range(1, 6):
        cb(i, 5)
    text = stream.getvalue()
    assert "computing the MED energy response" in text
    assert "response" in text and "5/5" in text


def test_silent_when_piped_or_quiet():
    piped = io.StringIO()
    fb = Feedback(stream=piped)
    fb.say("x")
    assert fb.callback("y") is None and piped.getvalue() == ""
    quiet = _Terminal()
    fb = Feedback(quiet=True, stream=quiet)
    fb.say("x")
    assert fb.callback("y") is None and quiet.getvalue() == ""
