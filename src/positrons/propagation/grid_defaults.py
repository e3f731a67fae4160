"""The default transport grid, defined once (light: the command line reads it to build its
options without importing numpy).  These are the converged defaults of
:class:`positrons.propagation.grid.GridSpec`: every headline number moves by <= 2 % when all
spacings are halved (docs/propagation.md, convergence table)."""

#: radial step [kpc]
DEFAULT_DR_KPC = 1.0
#: vertical step at the disc [kpc]
DEFAULT_DZ_KPC = 0.05
#: vertical step at the halo boundary [kpc] (the grid is stretched in between)
DEFAULT_DZ_MAX_KPC = 0.5
#: transport energies per decade
DEFAULT_ENERGY_POINTS_PER_DECADE = 20
