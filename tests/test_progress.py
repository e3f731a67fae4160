"""Progress feedback: bars on a terminal, silence when piped or with --quiet."""

import io

import numpy as np

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


def test_a_response_build_reports_each_adjoint_solve():
    """The library's progress callback: one call per observed energy, ending at (n, n); none
    when the response is served from memory."""
    from positrons.analysis.transport import GalacticResponse, Transport
    from positrons.propagation.grid import GridSpec

    galaxy = GalacticResponse("MED", "positron", (0.5, 5.0), Transport(GridSpec(2.0, 0.2, 0.5, 8), cache=None))
    calls = []
    G = galaxy.response(lambda R, z: 1.0 + 0 * R * z, observed_GeV=(1.0, 2.0), name="flat",
                        progress=lambda done, total: calls.append((done, total)))
    n = int(np.isfinite(G[:, 0]).sum())
    assert n >= 2 and calls == [(i, n) for i in range(1, n + 1)]
    galaxy.response(lambda R, z: 1.0 + 0 * R * z, observed_GeV=(1.0, 2.0), name="flat",
                    progress=lambda done, total: calls.append("again"))
    assert "again" not in calls
