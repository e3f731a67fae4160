"""Bad command lines, as a new user would type them: every one is refused in one line.

Each case runs ``positrons`` in-process in an empty working directory and must end with exit
status 2, exactly one line on standard error (``positrons: error: ...`` or the parser's
``positrons COMMAND: ...``) that contains the expected words, no traceback, nothing on
standard output and no file written anywhere (neither ``--output`` nor a default figure).
Every case must fail in its input check, before any transport solve: the whole table runs
in a few seconds (a case that started a computation would take minutes).

``{tmp}`` in a command line is the working directory, which holds ``lis.csv`` (a valid LIS),
``protons.csv`` (a valid trapped-proton table), ``bad.toml`` (a model with a typo),
``inf.toml`` (a model with phi = inf), ``short.toml`` (keys missing), ``words.toml`` (a word
for a number), ``table.toml`` (the injection as a TOML table instead of its two keys) and
``chain.npz`` (stands for an emcee checkpoint).
No message may show Python (a call, a class attribute, a keyword argument): the CLI user is
told the option and the fix on the command line.
The ``applies only`` rows are options that would otherwise be silently ignored.
"""

import re
import shlex

import pytest

from clitools import run

CASES = [
    # --- top level ----------------------------------------------------------------------
    ("", ["required", "COMMAND"]),
    ("bogus", ["invalid choice"]),
    ("--bogus", ["required", "COMMAND"]),
    # --- data ---------------------------------------------------------------------------
    ("data", ["required"]),
    ("data bogus", ["invalid choice"]),
    ("data list --flags extra", ["unrecognized arguments"]),
    ("data aliases --output x.txt", ["unrecognized arguments"]),
    ("data show ams02_positron_fractoin", ["unknown dataset", "close matches"]),
    ("data show bogus", ["unknown dataset", "positrons data list"]),
    ("data show nearby_pulsars", ["pulsar catalogue", "not a measurement", "--pulsar NAME"]),
    ("fraction --fit atnf_nearby_pulsars_derived", ["--fit", "pulsar catalogue"]),
    ("data show ams02_positron_flux --format xml", ["invalid choice"]),
    ("data show ams02_positron_flux --output {tmp}/nodir/out.txt", ["--output", "does not exist"]),
    ("data show ams02_positron_flux --output {tmp}", ["--output", "is a directory"]),
    ("data plot flux", ["--species"]),
    ("data plot fraction --species positron", ["--species", "applies only", "'flux'"]),
    ("data plot ams02_positron_fraction_prl2019 ams02_positron_flux_prl2019", ["different quantities"]),
    ("data plot fraction --output {tmp}/x.xyz", ["--output", "cannot draw a .xyz image"]),
    ("data plot fraction --output {tmp}/nodir/x.png", ["--output", "does not exist"]),
    ("data plot bogus_dataset", ["unknown dataset"]),
    ("data plot flux --species muon", ["invalid choice"]),
    # --- secondary ----------------------------------------------------------------------
    ("secondary", ["required"]),
    ("secondary cross-section", ["required", "--projectile-energy"]),
    ("secondary cross-section --projectile-energy -1", ["--projectile-energy", "> 0 GeV/n"]),
    ("secondary cross-section --projectile-energy abc", ["--projectile-energy", "not a number"]),
    ("secondary cross-section --projectile-energy nan", ["--projectile-energy", "finite"]),
    ("secondary cross-section --model nope --projectile-energy 5", ["--model", "unknown cross-section model"]),
    ("secondary cross-section --model kelner2006 --projectile-energy 5", ["--projectile-energy", "from 100 to"]),
    ("secondary cross-section --projectile-energy 1e9", ["--projectile-energy", "kamae2006"]),
    ("secondary cross-section --model orusa2022 --projectile-energy 10", ["--model", "orusa2022"]),
    ("secondary cross-section --projectile-energy 10 --energies 1:0:3", ["--energies", "0 < LO < HI"]),
    ("secondary cross-section --projectile-energy 10 --energies 1:2:0", ["--energies", "<= N <="]),
    ("secondary cross-section --projectile-energy 10 --energies 1:2", ["--energies", "LO:HI:N"]),
    ("secondary cross-section --projectile-energy 10 --energies 1:inf:3", ["--energies", "finite"]),
    ("secondary cross-section --projectile-energy 10 --energies 100:1000:5", ["below the projectile energy"]),
    ("secondary cross-section --projectile-energy 10 --reaction pO", ["invalid choice"]),
    ("secondary cross-section --projectile-energy 10 --output {tmp}/nodir/x.csv", ["--output", "does not exist"]),
    ("secondary cross-section --projectile-energy 10 --plot {tmp}/x.gifx", ["--plot", "cannot draw"]),
    ("secondary source --energies 1:0:3", ["--energies"]),
    ("secondary source --n-h -2", ["--n-h", ">= 0 cm^-3"]),
    ("secondary source --n-h inf", ["--n-h", "finite"]),
    ("secondary source --he-to-h nan", ["--he-to-h", "finite"]),
    ("secondary source --species muon", ["invalid choice"]),
    ("secondary source --model bogus", ["--model", "unknown cross-section model"]),
    ("secondary source --output {tmp}", ["--output", "is a directory"]),
    ("secondary fetch-orusa2022", ["required", "DIRECTORY"]),
    ("secondary fetch-orusa2022 {tmp}/lis.csv", ["DIRECTORY", "is a file"]),
    ("secondary fetch-orusa2022 {tmp}/tables --base-url bogus", ["--base-url", "not an http"]),
    # --- pbh spectrum -------------------------------------------------------------------
    ("pbh", ["required"]),
    ("pbh spectrum", ["required", "--mass"]),
    ("pbh spectrum --mass -1e15", ["--mass", "from 2.176e-05 to 1e+100 g"]),
    ("pbh spectrum --mass 0", ["--mass", "Planck mass"]),
    ("pbh spectrum --mass heavy", ["--mass", "not a number"]),
    ("pbh spectrum --mass nan", ["--mass", "finite"]),
    ("pbh spectrum --mass 1e-6", ["--mass", "Planck mass"]),
    ("pbh spectrum --mass 1e300", ["--mass", "1e+100 g"]),
    ("pbh spectrum --mass 1e10", ["--mass", "5.29e+13 g", "quark and gluon jets"]),
    ("pbh spectrum --mass 1e15 --energies 0:1:10", ["--energies", "> 0 GeV"]),
    ("pbh spectrum --mass 1e15 --energies -1e-3:1:10", ["--energies", "> 0 GeV"]),
    ("pbh spectrum --mass 1e15 --energies 1:0.1:10", ["--energies", "HI > LO"]),
    ("pbh spectrum --mass 1e15 --energies 1e-3:1", ["--energies", "LO:HI:N"]),
    ("pbh spectrum --mass 1e15 --energies 1e-3:1:0", ["--energies", "1 <= N"]),
    ("pbh spectrum --mass 1e15 --energies 1e-3:1:200000", ["--energies", "N <= 100000"]),
    ("pbh spectrum --mass 1e15 --energies 1e-3:1e4:10", ["--energies", "<= 1000 GeV"]),
    ("pbh spectrum --mass 1e15 --sigma 1", ["--sigma", "applies only", "--mass-function lognormal"]),
    ("pbh spectrum --mass 1e15 --mass-function lognormal", ["needs --sigma"]),
    ("pbh spectrum --mass 1e15 --mass-function lognormal --sigma -2", ["--sigma", "> 0 and <= 10"]),
    ("pbh spectrum --mass 1e15 --mass-function lognormal --sigma 50", ["--sigma", "<= 10"]),
    ("pbh spectrum --mass 1e13 --mass-function lognormal --sigma 0.1", ["almost no mass above M_min"]),
    ("pbh spectrum --mass 1e15 --particle muon", ["invalid choice"]),
    ("pbh spectrum --mass 1e15 --content bogus", ["invalid choice"]),
    ("pbh spectrum --mass 1e15 --output {tmp}/nodir/s.csv", ["--output", "does not exist"]),
    ("pbh spectrum --mass 1e15 --output {tmp}", ["--output", "is a directory"]),
    ("pbh spectrum --mass 1e15 --plot {tmp}/p.png --format table", ["--format", "applies only"]),
    ("pbh spectrum --mass 1e15 --plot {tmp}/p.foo", ["--plot", "cannot draw a .foo image"]),
    # --- pbh lifetime -------------------------------------------------------------------
    ("pbh lifetime", ["required", "--mass"]),
    ("pbh lifetime --mass -5", ["--mass", "Planck mass"]),
    ("pbh lifetime --mass 1e300", ["--mass", "1e+100 g"]),
    ("pbh lifetime --mass 1e-10", ["--mass", "Planck mass"]),
    ("pbh lifetime --mass inf", ["--mass", "finite"]),
    ("pbh lifetime --mass 1e15 --content x", ["invalid choice"]),
    ("pbh lifetime --mass 1e15 --format xml", ["invalid choice"]),
    ("pbh lifetime --mass 1e15 --output {tmp}/nodir/x.txt", ["--output", "does not exist"]),
    # --- pbh limits ---------------------------------------------------------------------
    ("pbh limits --phi -0.3 --mass 1e16 --output {tmp}/l.csv", ["--phi", "from 0 to 5 GV"]),
    ("pbh limits --phi nan --mass 1e16", ["--phi", "finite"]),
    ("pbh limits --phi 550 --mass 1e16", ["--phi", "GV"]),
    ("pbh limits --mass 1e16 --masses 1e15:1e16:3", ["--masses", "not allowed with", "--mass"]),
    ("pbh limits --masses 1e15:1e19:3", ["--masses", "from 5e+14 to 1e+18 g"]),
    ("pbh limits --masses 1e14:1e16:3", ["--masses", "evaporated"]),
    ("pbh limits --masses 5e14:1e17", ["--masses", "LO:HI:N (g, g, count)"]),
    ("pbh limits --mass 1e13", ["--mass", "evaporated by today"]),
    ("pbh limits --mass 1e19", ["--mass", "too cold"]),
    ("pbh limits --mass 1e16 --output {tmp}/nodir/l.csv", ["--output", "does not exist"]),
    ("pbh limits --mass 1e16 --output {tmp}", ["--output", "is a directory"]),
    ("pbh limits --mass 1e16 --dataset bogus", ["--dataset", "unknown dataset"]),
    ("pbh limits --mass 1e16 --dataset ams02_positron_fraction_prl2019", ["--dataset", "flux dataset is needed"]),
    ("pbh limits --mass 1e16 --dataset ams02_proton_flux_physrep2021", ["--dataset", "flux dataset is needed"]),
    ("pbh limits --mass 1e16 --model bogus", ["--model", "unknown model"]),
    ("pbh limits --mass 1e16 --model {tmp}/missing.toml", ["--model", "no such file"]),
    ("pbh limits --mass 1e16 --model {tmp}/bad.toml", ["--model", "bad.toml", "z_halo"]),
    ("pbh limits --mass 1e16 --model {tmp}/inf.toml", ["--model", "inf.toml", "phi_GV must be finite"]),
    ("models show {tmp}/short.toml", ["short.toml", "missing propagation-model key(s): D0_1e28_cm2_s",
                                      "positrons models show MED"]),
    ("propagate --model {tmp}/words.toml", ["--model", "D0_1e28_cm2_s must be numbers"]),
    ("fraction --model {tmp}/table.toml", ["--model", "unknown propagation-model key(s): proton_injection",
                                           "proton_injection_indices"]),
    ("pbh limits --mass 1e16 --plot {tmp}/x.xyz", ["--plot", "cannot draw"]),
    ("pbh limits --all", ["--all needs --output DIR"]),
    ("pbh limits --all --output {tmp}/lis.csv", ["--output", "is a file"]),
    ("pbh limits --all --model MIN --output {tmp}/all", ["--model", "applies only without --all"]),
    ("pbh limits --all --dataset ams02_positron_flux --output {tmp}/all", ["--dataset", "applies only without --all"]),
    ("pbh limits --all --phi-band --output {tmp}/all", ["--phi-band", "applies only without --all"]),
    ("pbh limits --all --plot {tmp}/a.png --output {tmp}/all", ["--plot", "applies only without --all"]),
    ("pbh limits --all --background secondary --output {tmp}/all", ["--background", "applies only without --all"]),
    ("pbh limits --all --quick --dR 2 --output {tmp}/all", ["--dR", "applies only without --quick"]),
    ("pbh limits --all --quick --masses 5e14:1e16:3 --output {tmp}/all", ["--masses", "applies only without --quick"]),
    ("pbh limits --mass 1e16 --quick", ["--quick", "applies only with --all"]),
    ("pbh limits --mass 1e16 --scheduler none", ["--scheduler", "applies only with --all"]),
    ("pbh limits --all --scheduler somewhere --output {tmp}/all", ["--scheduler", "tcp://host:8786"]),
    ("pbh limits --mass 1e16 --phi 0.05 --phi-band", ["--phi-band needs phi >= 0.1 GV"]),
    ("pbh limits --mass 1e16 --phi 0.5 --dataset voyager1_electron_lis_cummings2016", ["--phi", "applies only"]),
    ("pbh limits --mass 1e16 --sigma 1", ["--sigma", "applies only"]),
    ("pbh limits --mass 1e16 --mass-function lognormal", ["needs --sigma"]),
    ("pbh limits --mass 1e16 --mass-function lognormal --sigma 20", ["--sigma", "<= 10"]),
    ("pbh limits --mass-f lognormal", ["unrecognized arguments", "--mass-f"]),
    ("pbh limits --mass 1e16 --dR 0", ["--dR", "> 0 kpc"]),
    ("pbh limits --mass 1e16 --dz -0.1", ["--dz", "> 0 kpc"]),
    # grid limits of the transport (too coarse for the halo, too large for memory)
    ("pbh limits --mass 1e16 --dR 2 --dz 5", ["--dz", "too coarse for model MED"]),
    ("pbh limits --mass 1e16 --model MIN --dz 0.7", ["--dz", "too coarse for model MIN"]),
    ("pbh limits --mass 1e16 --dz 0.1 --dz-max 2", ["--dz-max", "too coarse"]),
    ("pbh limits --mass 1e16 --dz 0.4 --dz-max 0.1", ["dz_max_kpc", "must be >="]),
    ("pbh limits --mass 1e16 --dR 9", ["--dR", "too coarse for the halo radius"]),
    ("pbh limits --mass 1e16 --dR 0.01 --dz 0.001", ["too large", "unknowns"]),
    ("pbh limits --mass 1e16 --energy-points-per-decade 1", ["--energy-points-per-decade", "from 2 to 1000"]),
    ("pbh limits --mass 1e16 --energy-points-per-decade nan", ["--energy-points-per-decade", "finite"]),
    ("pbh limits --mass 1e16 --missing-errors guess", ["--missing-errors", "invalid choice"]),
    ("pbh limits --all --missing-errors skip --output {tmp}/all", ["--missing-errors", "applies only without --all"]),
    ("propagate --source pbh --mass 1e16 --dz 9", ["--dz", "too coarse"]),
    ("fraction --dR 30", ["--dR", "too coarse"]),
    ("pbh limits --all --quick --energy-points-per-decade 8 --output {tmp}/all",
     ["--energy-points-per-decade", "applies only without --quick"]),
    ("pbh limits --mass 1e16 --dR inf", ["--dR", "finite"]),
    ("pbh limits --mass 1e16 --background maybe", ["invalid choice"]),
    ("pbh limits --mass 1e16 --format xml", ["invalid choice"]),
    ("pbh limits --all --quick --format json --output {tmp}/out", ["--format", "applies only without --all"]),
    # --- propagate ----------------------------------------------------------------------
    ("propagate --source secondary --mass 1e16", ["--mass", "applies only with --source pbh"]),
    ("propagate --source pbh --mass 1e16 --sigma 1", ["--sigma", "applies only"]),
    ("propagate --source pbh --mass 1e16 --mass-function lognormal", ["needs --sigma"]),
    ("propagate --source pbh --mass 1e16 --cross-section kamae2006", ["--cross-section", "applies only"]),
    ("propagate --source pbh --mass 1e16 --secondary-method full", ["--secondary-method", "applies only"]),
    ("propagate --mass-function lognormal --sigma 1", ["--mass-function", "applies only"]),
    ("propagate --source pbh", ["--source pbh needs --mass"]),
    ("propagate --source primary", ["not implemented"]),
    ("propagate --cross-section bogus", ["--cross-section", "unknown cross-section model"]),
    ("propagate --species proton", ["--species positron or electron"]),
    ("propagate --cross-section kamae2006", ["--cross-section kamae2006 covers", "hybrid"]),
    ("propagate --source pbh --mass 1e16 --energies 1e-3:1e4:10", ["--energies", "1000 GeV"]),
    ("propagate --energies 10:1:5", ["--energies", "HI > LO"]),
    ("propagate --model NOPE", ["--model", "unknown model"]),
    ("propagate --source pbh --mass 1e20", ["--mass", "1e+18 g"]),
    ("propagate --dR nan", ["--dR", "finite"]),
    ("propagate --output {tmp}/nodir/p.csv", ["--output", "does not exist"]),
    ("propagate --plot {tmp}/p.xyz", ["--plot", "cannot draw"]),
    # --- fraction -----------------------------------------------------------------------
    ("fraction --source dm --pulsar geminga", ["--pulsar", "applies only with --source pulsars"]),
    ("fraction --dm-mass 100", ["--dm-mass", "applies only with --source dm"]),
    ("fraction --source pulsars --channel ee", ["--channel", "applies only with --source dm"]),
    ("fraction --fit bogus", ["--fit", "unknown dataset"]),
    ("fraction --fit ams02_positron_flux_prl2019", ["--fit", "fraction dataset is needed"]),
    ("fraction --energies 0.01:10:5", ["--energies", "transport grid"]),
    ("fraction --energies 1:1e5:5", ["--energies", "from 0.1 to 1e+04 GeV"]),
    ("fraction --source pulsars --pulsar bogus", ["--pulsar", "unknown pulsar"]),
    ("fraction --source pulsars --pulsar geminga --pulsar geminga", ["--pulsar", "twice"]),
    ("fraction --cross-section bogus", ["--cross-section", "unknown cross-section model"]),
    ("fraction --cross-section chain", ["--cross-section chain covers", "hybrid"]),
    ("fraction --source dm --dm-mass 1e6", ["--dm-mass", "top of the transport grid"]),
    ("fraction --source dm --dm-mass 0.05", ["--dm-mass", "mumu threshold"]),
    ("fraction --source dm --process decay --dm-mass 0.15", ["--dm-mass", "2 x 0.1057 GeV"]),
    ("fraction --fit ams02_positron_fraction_prl2019 --energy-min 5000", ["no point", "--energy-min"]),
    ("fraction --fit ams02_positron_fraction_prl2019 --energy-min 50 --energy-max 20", ["--energy-max", "must exceed"]),
    ("fraction --source pulsars --fit ams02_positron_fraction_prl2019 --efficiency 0.2", ["--efficiency", "without --fit"]),
    ("fraction --source dm --fit ams02_positron_fraction_prl2019 --sigma-v 1e-26", ["--sigma-v", "without --fit"]),
    ("fraction --energy-min 20", ["--energy-min", "applies only with --fit"]),
    ("fraction --source pulsars --efficiency 2", ["--efficiency", "<= 1"]),
    ("fraction --source pulsars --tau0 0", ["--tau0", "> 0 yr"]),
    ("fraction --source dm --sigma-v -1", ["--sigma-v", "> 0"]),
    ("fraction --format yaml", ["--format", "invalid choice"]),
    ("propagate --format xml", ["--format", "invalid choice"]),
    ("secondary source --format fits", ["--format", "invalid choice"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --format html", ["--format", "invalid choice"]),
    ("fraction --output {tmp}/nodir/f.csv", ["--output", "does not exist"]),
    # --- modulate -----------------------------------------------------------------------
    ("modulate", ["required", "--lis"]),
    ("modulate --lis {tmp}/lis.csv", ["--phi", "--dataset"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --dataset ams02_positron_flux_prl2019", ["--dataset", "not allowed with"]),
    ("modulate --lis {tmp}/lis.csv --phi nan", ["--phi", "finite"]),
    ("modulate --lis {tmp}/lis.csv --phi -0.2", ["--phi", "from 0 to 5 GV"]),
    ("modulate --lis {tmp}/lis.csv --phi 550", ["--phi", "GV"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --delta-phi inf", ["--delta-phi", "finite"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --delta-phi -1", ["--delta-phi", "from 0 to 5 GV"]),
    ("modulate --lis {tmp}/missing.csv --phi 0.5", ["--lis", "no such file"]),
    ("modulate --lis {tmp} --phi 0.5", ["--lis", "is not a file"]),
    ("modulate --lis {tmp}/lis.csv --dataset bogus", ["--dataset", "unknown dataset"]),
    ("modulate --lis {tmp}/lis.csv --dataset ams02_positron_flux_prl2019", ["no published force-field phi"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --species neutrino", ["invalid choice"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --method helmod", ["invalid choice"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --output {tmp}/nodir/o.csv", ["--output", "does not exist"]),
    ("modulate --lis {tmp}/lis.csv --phi 0.5 --plot {tmp}/x.xyz", ["--plot", "cannot draw"]),
    # --- cache --------------------------------------------------------------------------
    ("cache", ["required"]),
    ("cache bogus", ["invalid choice"]),
    ("cache clear --all", ["unrecognized arguments"]),
    # --- belt ---------------------------------------------------------------------------
    ("belt --L 0.8", ["--L", "from 1 to 10"]),
    ("belt --L abc", ["--L", "not a number"]),
    ("belt --L -1.2", ["--L", "from 1 to 10"]),
    ("belt --L 100", ["--L", "magnetopause"]),
    ("belt --rho 0", ["--rho", "> 0 and <= 0.001225 g/cm^3"]),
    ("belt --rho -1e-18", ["--rho", "> 0"]),
    ("belt --rho 1", ["--rho", "sea-level air"]),
    ("belt --rho dense", ["--rho", "'msis' or a number"]),
    ("belt --threshold 0.5", ["--threshold", "outside the lepton energies"]),
    ("belt --threshold 0", ["--threshold", "> 0 GeV"]),
    ("belt --L 1.4", ["L = 1.2 only", "--pion-source computed"]),
    ("belt --pion-source computed --L 1.4", ["L = 1.2 only", "--protons-file"]),
    ("belt --energies 0.1:0.01:4", ["--energies", "0 < LO < HI"]),
    ("belt --energies 1e-6:0.1:10", ["--energies", ">= 0.0001 GeV"]),
    ("belt --B-gauss -1", ["--B-gauss", "> 0"]),
    ("belt --B-gauss 50", ["--B-gauss", "<= 1 G"]),
    ("belt --mirror-altitude 500", ["--mirror-altitude", "applies only with --rho msis"]),
    ("belt --f107 300", ["--f107", "applies only with --rho msis"]),
    ("belt --date 2001-01-01", ["--date", "applies only"]),
    ("belt --rho msis --f107 1000", ["--f107", "from 50 to 500 sfu"]),
    ("belt --rho msis --ap 500", ["--ap", "from 0 to 400"]),
    ("belt --rho msis --date bogus", ["--date", "ISO date"]),
    ("belt --protons ap8-min", ["--protons", "applies only with --pion-source computed"]),
    ("belt --composition msis", ["--composition", "applies only with --pion-source computed"]),
    ("belt --pion-source computed --protons ap8-min --protons-file {tmp}/protons.csv",
     ["--protons-file", "not allowed with"]),
    ("belt --pion-source computed --protons-file {tmp}/missing.csv", ["--protons-file", "no such file"]),
    ("belt --scale-height 100 --decay exact", ["--scale-height", "applies only with --decay fixed-fractions"]),
    ("belt --fraction-energy total --decay exact", ["--fraction-energy", "applies only"]),
    ("belt --scale-height 0", ["--scale-height", "> 0 km"]),
    ("belt --format xml", ["invalid choice"]),
    ("belt --output {tmp}/nodir/b.csv", ["--output", "does not exist"]),
    ("belt --plot {tmp}/b.xyz", ["--plot", "cannot draw"]),
    # --- --posterior (pbh limits, fraction) ---------------------------------------------
    ("pbh limits --posterior {tmp}/missing.ecsv", ["--posterior", "no such file"]),
    ("pbh limits --posterior {tmp}/lis.csv", ["--posterior", "lis.csv", "not an ECSV table"]),
    ("pbh limits --posterior {tmp}/lis.csv --draws 0", ["--draws", ">= 2"]),
    ("pbh limits --posterior {tmp}/lis.csv --draws 2.5", ["--draws", "whole number"]),
    ("pbh limits --draws 10", ["--draws", "applies only with --posterior"]),
    ("pbh limits --posterior {tmp}/lis.csv --model MIN", ["--model", "applies only without --posterior"]),
    ("pbh limits --posterior {tmp}/lis.csv --phi-band", ["--phi-band", "applies only without --posterior"]),
    ("pbh limits --all --posterior {tmp}/lis.csv --output {tmp}/all", ["--posterior", "applies only without --all"]),
    ("fraction --posterior {tmp}/missing.ecsv", ["--posterior", "no such file"]),
    ("fraction --posterior {tmp}/lis.csv", ["--posterior", "lis.csv", "not an ECSV table"]),
    ("fraction --posterior {tmp}/lis.csv --draws 0", ["--draws", ">= 2"]),
    ("fraction --draws 10", ["--draws", "applies only with --posterior"]),
    ("fraction --model MIN --posterior {tmp}/lis.csv", ["--model", "applies only without --posterior"]),
    ("fraction --posterior {tmp}/lis.csv --fit ams02_positron_fraction_prl2019", ["--fit", "without --posterior"]),
    ("fraction --posterior {tmp}/lis.csv --source pulsars", ["--source", "without --posterior"]),
    # --- fit propagation ----------------------------------------------------------------
    ("fit propagation --data bc,xyz", ["--data", "unknown data set xyz"]),
    ("fit propagation --free D0_1e28_cm2_s,bogus", ["--free", "unknown parameter bogus"]),
    ("fit propagation --free delta0 --quick --output {tmp}/f", ["delta0", "rigidity_break_GV", "together"]),
    ("fit propagation --model NOPE", ["--model", "unknown model"]),
    ("fit propagation --sampler emcee --steps 0", ["--steps", ">= 1"]),
    ("fit propagation --live-points 1.5", ["--live-points", "whole number"]),
    ("fit propagation --scheduler bogus", ["--scheduler", "tcp://"]),
    ("fit propagation --quick --sampler emcee", ["--sampler", "without --quick"]),
    ("fit propagation --quick --steps 100", ["--steps", "applies only with --sampler emcee"]),
    ("fit propagation --walkers 8", ["--walkers", "applies only with --sampler emcee"]),
    ("fit propagation --sampler emcee --live-points 50", ["--live-points", "applies only with --sampler nautilus"]),
    ("fit propagation --quick --effective-samples 500", ["--effective-samples", "applies only"]),
    ("fit propagation --quick --scheduler local", ["--scheduler", "applies only"]),
    ("fit propagation --quick --resume --output {tmp}/f", ["--resume", "applies only", "no checkpoint"]),
    ("fit propagation --data bc --resume --output {tmp}/f", ["--resume", "no nautilus checkpoint file nautilus.h5"]),
    ("fit propagation --sampler emcee --data bc --resume --output {tmp}/f", ["--resume", "no emcee checkpoint"]),
    ("fit propagation --data bc --output {tmp}", ["chain.npz exists", "--resume"]),
]

#: a valid LIS (columns E_kin_GeV,flux), a valid trapped-proton table, models with a typo and an inf
FIXTURES = {
    "lis.csv": "E_kin_GeV,flux\n0.1,10\n1,1\n10,0.01\n",
    "protons.csv": "E_GeV,J_gt_E\n0.1,2.1e7\n0.2,9.3e6\n0.3,4.1e6\n",
    "bad.toml": 'z_halo = 4.0\n',
    "inf.toml": "z_h_kpc = 4.0\nD0_1e28_cm2_s = 5.0\neta = 1.0\ndelta1 = 0.3\nv_alfven_km_s = 30.0\nphi_GV = inf\n",
    "short.toml": "z_h_kpc = 4.0\n",
    "words.toml": 'z_h_kpc = 4.0\nD0_1e28_cm2_s = "five"\neta = 1.0\ndelta1 = 0.3\nv_alfven_km_s = 30.0\n',
    "table.toml": "z_h_kpc = 4.0\nD0_1e28_cm2_s = 5.0\neta = 1.0\ndelta1 = 0.3\nv_alfven_km_s = 30.0\n"
                  "[proton_injection]\nindices = [2.4]\n",
    "chain.npz": "an emcee checkpoint: only its presence matters\n",
}

#: the parser's one-line form ('positrons pbh limits: argument ...') or 'positrons: error: ...'
ONE_LINE = re.compile(r"^positrons( [a-z0-9-]+)*: ")
#: Python in a message a command-line user reads: a call or attribute of the library
#: ('Grid.for_model', 'cho_factor(', 'PropagationModel.replace') or a keyword argument
#: ('modulation=...', "missing_errors='skip'"); '--option=value' and 'x = 1' are not Python
PYTHON_SYNTAX = re.compile(r"\b[A-Z][A-Za-z0-9]+\.[a-z_]\w*|\b[A-Za-z_][A-Za-z0-9_]*\((?!s\))|(?<![-\w])[a-z_][a-z0-9_]*=(?!=)")


def python_in(message: str) -> list[str]:
    """The pieces of Python syntax in ``message`` (file names and quoted user input aside)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\S+\.(toml|csv|ecsv|json|png|txt)\b|/\S+", "", message)
    return [m.group(0) for m in PYTHON_SYNTAX.finditer(text)]


def test_the_python_syntax_check_catches_python():
    assert python_in("pass modulation=ForceField(0.5)") == ["modulation=", "ForceField("]
    assert python_in("use PropagationModel.replace") == ["PropagationModel.replace"]
    assert python_in("choose missing_errors='skip'") == ["missing_errors="]
    assert python_in("--phi must be > 0 GV; use --phi=0.5 or phi = 0.5 (see 'positrons pbh limits --help')") == []


def test_the_harness_is_large():
    assert len(CASES) >= 100
    assert len({argv for argv, _ in CASES}) == len(CASES)  # no case twice


@pytest.mark.parametrize("argv,words", CASES, ids=[argv or "(nothing)" for argv, _ in CASES])
def test_bad_input_is_refused_in_one_line(capsys, tmp_path, monkeypatch, argv, words):
    for name, text in FIXTURES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("POSITRONS_ORUSA2022_DIR", str(tmp_path / "no_tables"))  # orusa2022 unavailable
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run(capsys, *shlex.split(argv.format(tmp=tmp_path)))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert ONE_LINE.match(lines[0]), lines[0]
    assert "Traceback" not in err
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"
    assert not python_in(lines[0]), f"Python in a command-line error: {python_in(lines[0])} in {lines[0]!r}"
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, not even a default file
