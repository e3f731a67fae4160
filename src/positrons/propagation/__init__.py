"""Transport of cosmic rays through the Galaxy.

Which tool when:

* :mod:`.models` -- the propagation models (MIN, MED, MAX, MAX2, DB, GH presets; user models
  from TOML): frozen parameter records, no numerics;
* :mod:`.leaky_box` -- the homogeneous steady-state leaky box, for nuclei and for leptons
  with energy losses: instant, and the limit the 2D solver must reproduce;
* :mod:`.diffusion2d` -- the 2D (R, z) steady-state diffusion / re-acceleration /
  convection / energy-loss solver: build a :class:`~.diffusion2d.Propagator` once per model,
  grid and species, then ``propagator.solve(source)`` for each source, or
  ``propagator.energy_response(profile)`` for the matrix from injected to observed spectrum
  of sources with one spatial profile (PBH or dark-matter halo scans);
* :mod:`.pulsars` -- the analytic Green's function with energy losses (Atoyan et al. 1995)
  that carries the e+- of nearby pulsars to the Sun.
"""
