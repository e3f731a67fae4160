"""Production cross sections of secondary e+ and e- in cosmic-ray collisions with gas.

Every model is a :class:`ProductionModel`, registered by name, with one interface::

    model = get_model("kamae2006")
    model.dsigma_dT(T_projectile, T_lepton, lepton="positron", reaction="pp")   # mb / GeV

``T_projectile`` is the kinetic energy per nucleon of the projectile [GeV/n] (for protons, the
kinetic energy), ``T_lepton`` the lepton kinetic energy [GeV]; the cross section is per
projectile nucleus and per unit lepton kinetic energy.  ``reaction`` is ``pp``, ``pHe``,
``Hep`` or ``HeHe`` (projectile first); the helium channels follow from p + p through
:mod:`positrons.cross_sections.nuclear`.

Which model when:

================  ===================================  ==========================================
name              projectile range (T_p)                use it for
================  ===================================  ==========================================
``chain``         threshold (0.28 GeV) - 1 TeV         the pi -> mu -> e chain done here: exact
                                                       decay kernels, MeV leptons near threshold
``kamae2006``     0.488 GeV - 512 TeV                  the standard reference of GALPROP-era work
``kelner2006``    100 GeV - 1e5 TeV (E_p total)        high energies (SIBYLL fits)
================  ===================================  ==========================================

Outside its range a model raises :class:`OutsideValidityError` (``outside="raise"``, the
default).  ``outside="zero"`` returns zero there instead; use it only when you know the
neglected range does not matter, or combine models with :func:`combine`.
"""

from __future__ import annotations

from .production import LEPTONS, OutsideValidityError, ProductionModel, combine, register


def _registry() -> dict:
    from .production import _REGISTRY

    return _REGISTRY


def available_models() -> list[str]:
    """Names of the registered production models."""
    _load_builtin()
    return sorted(_registry())


def get_model(name: str) -> ProductionModel:
    """The production model registered as ``name`` (see :func:`available_models`)."""
    _load_builtin()
    try:
        return _registry()[name]()
    except KeyError:
        raise ValueError(f"unknown cross-section model {name!r}; available: {', '.join(sorted(_registry()))}") from None


def _load_builtin() -> None:
    from . import models  # noqa: F401  (registers the built-in models)


__all__ = [
    "ProductionModel",
    "OutsideValidityError",
    "available_models",
    "get_model",
    "register",
    "combine",
    "LEPTONS",
]
