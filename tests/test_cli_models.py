"""``positrons models list|show``: a shown preset is a TOML file that reads back to the same
model and, through ``--model FILE.toml``, to the same numbers."""

import numpy as np
import pytest

from positrons.propagation.models import PRESETS, PropagationModel, get_propagation_model

from clitools import csv_table, run


@pytest.mark.parametrize("name", list(PRESETS))
def test_shown_preset_reads_back_to_the_same_parameters(name, tmp_path, capsys):
    code, shown, _ = run(capsys, "models", "show", name)
    assert code == 0 and shown == PRESETS[name].to_toml()
    path = tmp_path / "mine.toml"
    path.write_text(shown)
    model = PropagationModel.from_toml(path)
    assert model.name == "mine"  # the name comes from the file, never from the preset
    assert model.replace(name=name) == PRESETS[name]


def test_models_list_names_every_preset(capsys):
    code, out, _ = run(capsys, "models", "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:7]] == list(PRESETS)


def test_every_key_has_its_meaning_and_an_edit_is_taken(tmp_path):
    text = PRESETS["DB"].to_toml()
    keys = [line.split("=")[0].strip() for line in text.splitlines() if line and not line.startswith("#")]
    for key in keys:  # the comment line above each key says what it is
        above = text.splitlines()[text.splitlines().index(next(l for l in text.splitlines() if l.startswith(key + " ="))) - 1]
        assert above.startswith("# ") and len(above) > 10, key
    path = tmp_path / "edited.toml"
    path.write_text(text.replace("z_h_kpc = 4.0", "z_h_kpc = 6.5"))
    assert get_propagation_model(str(path)).z_h_kpc == 6.5


def test_same_numbers_from_the_shown_file_as_from_the_preset(tmp_path, capsys):
    """`positrons models show MED > m.toml` then `propagate --model m.toml` == `--model MED`."""
    code, shown, _ = run(capsys, "models", "show", "MED")
    assert code == 0
    path = tmp_path / "m.toml"
    path.write_text(shown)
    common = ["propagate", "--source", "pbh", "--mass", "1e16", "--energies", "0.01:1:5",
              "--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache"]
    code_a, out_a, _ = run(capsys, *common, "--model", "MED")
    code_b, out_b, _ = run(capsys, *common, "--model", str(path))
    assert code_a == code_b == 0

    (cols_a, a), (cols_b, b) = csv_table(out_a), csv_table(out_b)
    assert cols_a == cols_b
    assert a.shape == b.shape and a.size > 0
    np.testing.assert_array_equal(a, b)
