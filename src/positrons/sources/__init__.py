"""Sources of cosmic-ray electrons and positrons: q(r, E) per cm^3 s GeV.

* :mod:`.secondary` -- e+- from cosmic-ray collisions with interstellar gas (a production
  matrix built once per cross-section model and energy grids, then q = M @ flux);
* :mod:`.pbh` -- Hawking evaporation of primordial black holes (greybody factors, spectra,
  mass functions, the source term);
* :mod:`.halo` -- dark-matter density profiles (NFW, Einasto, Burkert, isothermal);
* :mod:`.dark_matter` -- annihilation and decay of dark matter into e+e-, mu+mu- or a user table;
* :mod:`.pulsars` -- nearby pulsars: catalogue, spin-down and e+- injection (their transport
  to the Sun is :mod:`positrons.propagation.pulsars`).
"""
