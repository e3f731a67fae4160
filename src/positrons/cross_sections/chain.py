"""The "Matryoshka": p + p -> pi -> mu -> e done here, from the pion spectrum down.

    dsigma/dE_e (T_p, E_e) = Integral dE_pi  dsigma/dE_pi (T_p, E_pi)  dN_{pi->mu->e}/dE_e (E_e; E_pi)

The pion spectrum is :mod:`positrons.cross_sections.pion_production` (Moskalenko & Strong
1998 / Dermer 1986), given as cross sections integrated over the cells of a fixed grid in
pion kinetic energy (``cells_per_decade`` cells per decade from 1 keV to 20 TeV); the decay
kernel (:func:`positrons.decay_folding.decay_matrix`, exact boost and muon polarisation) is
averaged over each cell with a two-point Gauss-Legendre rule.  Pion
spectra are cached per proton energy, decay matrices per lepton-energy grid.  e+ come from
pi+ and e- from pi-; kaon decays (a few per cent of the leptons above ~10 GeV) are not
included.  The decay matrices are cached per lepton-energy grid, so building a production
matrix costs one decay matrix.
"""

from __future__ import annotations

import numpy as np

from .. import constants as const
from .. import decay_folding
from . import pion_production

_T_PI_MIN = 1e-6  # GeV
_T_PI_MAX = 2e4  # GeV


class ChainKernel:
    """Callable ``(T_p, T_e, lepton) -> dsigma/dT_e`` [mb/GeV] of the pi -> mu -> e chain."""

    def __init__(self, cells_per_decade: int = 60, decay_nodes: int = 12):
        n = int(round(cells_per_decade * np.log10(_T_PI_MAX / _T_PI_MIN)))
        self.cells_per_decade = cells_per_decade
        self.decay_nodes = decay_nodes
        #: pion cell edges, kinetic [GeV]
        self.kinetic_edges = np.concatenate([[0.0], np.geomspace(_T_PI_MIN, _T_PI_MAX, n)])
        #: pion cell edges, total energy [GeV]
        self.edges = const.m_pion_charged + self.kinetic_edges
        self._decay_cache: dict[tuple, np.ndarray] = {}
        self._pion_cache: dict[tuple, np.ndarray] = {}

    def _decay_matrix(self, T_e: np.ndarray, charge: int) -> np.ndarray:
        """Decay kernel [GeV^-1] at lepton kinetic energies ``T_e`` averaged over each pion cell
        (two-point Gauss-Legendre): shape (len(T_e), cells)."""
        key = (charge, T_e.tobytes())
        if key not in self._decay_cache:
            a, b = self.kinetic_edges[:-1], self.kinetic_edges[1:]
            half, mid = 0.5 * (b - a), 0.5 * (a + b)
            g = 1.0 / np.sqrt(3.0)
            K = np.zeros((T_e.size, a.size))
            for node in (mid - g * half, mid + g * half):
                K += 0.5 * decay_folding.decay_matrix(T_e, node, "pion", charge, n_nodes=self.decay_nodes)
            if len(self._decay_cache) > 16:
                self._decay_cache.clear()
            self._decay_cache[key] = K
        return self._decay_cache[key]

    def pion_cells(self, T_p: float, charge: int) -> np.ndarray:
        """dsigma/dE_pi [mb] integrated over the cells of :attr:`edges` at proton energy T_p."""
        key = (float(T_p), charge)
        if key not in self._pion_cache:
            if len(self._pion_cache) > 4096:
                self._pion_cache.clear()
            self._pion_cache[key] = pion_production.cell_cross_sections(T_p, self.edges, charge)
        return self._pion_cache[key]

    def __call__(self, T_p, T_e, lepton: str):
        charge = +1 if lepton == "positron" else -1
        T_p, T_e = np.broadcast_arrays(np.asarray(T_p, dtype=float), np.asarray(T_e, dtype=float))
        tp_unique, tp_index = np.unique(T_p, return_inverse=True)
        te_unique, te_index = np.unique(T_e, return_inverse=True)
        K = self._decay_matrix(te_unique, charge)
        sigma = np.array([self.pion_cells(t, charge) for t in tp_unique])  # (n_p, n_cells)
        table = sigma @ K.T  # (n_p, n_e)
        return table[tp_index.reshape(T_p.shape), te_index.reshape(T_e.shape)]
