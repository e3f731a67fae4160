"""The 2D transport solver against analytic solutions, conservation laws and itself.

Small grids throughout (the production grids are exercised by benchmarks/).
"""

import numpy as np
import pytest

from positrons import kinematics as kin
from positrons import units as u
from positrons.propagation.diffusion2d import Grid, Propagator, SolverSettings
from positrons.propagation.rates import decay_rate
from positrons.propagation.models import PRESETS, PropagationModel


def _model(**kw):
    base = dict(name="test", z_h_kpc=1.0, D0_1e28_cm2_s=3.0, eta=0.0, delta1=0.0, v_alfven_km_s=0.0)
    base.update(kw)
    return PropagationModel(**base)


def test_disc_source_in_a_slab_is_exact():
    """Pure diffusion from a thin disc of surface rate Sigma in the slab |z| < H with n = 0 at
    |z| = H: n(z) = Sigma (H - |z|) / (2 D).  The three-point Laplacian is exact for this
    piecewise-linear solution; the radial boundary 20 scale heights away contributes
    ~exp(-pi R_h / 2H) ~ 1e-14.  Tolerance 1e-6 (the GMRES tolerance)."""
    model = _model()
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 11, 21, np.array([1.0, 2.0, 4.0]))
    prop = Propagator(model, grid, "proton")
    dz_cm = grid.dz_kpc * u.kpc
    surface = 1e-20  # particles cm^-2 s^-1 GeV^-1
    source = np.zeros(grid.shape)
    source[:, grid.z_kpc.size // 2, :] = surface / dz_cm
    n = prop.solve(source).density
    D = model.diffusion(grid.T, "proton")
    z_cm = grid.z_kpc * u.kpc
    expected = surface * (model.z_h_kpc * u.kpc - np.abs(z_cm))[:, None] / (2 * D[None, :])
    assert np.allclose(n[0], expected, rtol=1e-6)


#: both the first-order scheme and its defect correction conserve particles (the second-order
#: operator has the same boundary fluxes); the reference method too
CONSERVATION = [(SolverSettings(defect_correction=False, rtol=1e-9), 1e-6), (SolverSettings(rtol=1e-9), 1e-6),
                (SolverSettings(method="reference", rtol=1e-9), 1e-6)]


@pytest.mark.parametrize("settings, rel", CONSERVATION)
def test_particle_conservation_without_losses(settings, rel):
    """Steady state: injected particles per second = those leaving through the boundaries
    (diffusion at R_h and +-z_h, convection).  With re-acceleration (which moves particles
    in energy without creating them) and convection on."""
    model = _model(z_h_kpc=2.0, v_alfven_km_s=30.0, delta1=0.4, eta=1.0, dv_conv_dz_km_s_kpc=10.0)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 11, 21, np.geomspace(0.1, 100, 12))
    prop = Propagator(model, grid, "positron", settings=settings)
    source = lambda R, z, T: model.source_distribution(R, z) * T**-2.0 * np.exp(-T / 30)  # noqa: E731
    solution = prop.solve(source)
    assert prop.boundary_outflow(solution) == pytest.approx(prop.injection_rate(source), rel=rel)


@pytest.mark.parametrize("settings, rel", CONSERVATION)
def test_particle_conservation_with_losses(settings, rel):
    """With energy losses the particles cooled below the lowest momentum face count as
    leaving; the balance still holds (finite volumes in momentum too)."""
    model = _model(z_h_kpc=2.0)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 11, 21, np.geomspace(0.1, 100, 15))
    prop = Propagator(model, grid, "positron", loss_rate=lambda R, z, T: 1e-16 * T**2 + 1e-17, settings=settings)
    source = lambda R, z, T: model.source_distribution(R, z) * T**-2.2  # noqa: E731
    solution = prop.solve(source)
    assert prop.boundary_outflow(solution) == pytest.approx(prop.injection_rate(source), rel=rel)


def _loss_only(T, settings=SolverSettings()):
    """Tiny diffusion, uniform source and losses b = b0 T^2: the local loss-only solution
    n(T) = (1/b(T)) Int_T^inf q dT' everywhere away from the boundaries."""
    model = _model(z_h_kpc=1.0, D0_1e28_cm2_s=1e-8)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 5, 7, T)
    b0 = 1e-16
    prop = Propagator(model, grid, "electron", loss_rate=lambda R, z, TT: b0 * TT**2, settings=settings)
    q = T**-2.0 * np.exp(-T / 50.0)
    n = prop.solve(np.broadcast_to(q, grid.shape)).at(0.0, 0.0)
    from scipy import integrate

    # the grid injects up to its top momentum face (half a cell above the last energy)
    T_top = T[-1] * np.sqrt(T[-1] / T[-2])
    expected = np.array([integrate.quad(lambda x: x**-2.0 * np.exp(-x / 50.0), t, T_top, limit=200)[0] for t in T]) / (b0 * T**2)
    return n, expected


def test_pure_energy_losses_and_convergence_order_of_the_reference_method():
    """Against the analytic loss-only solution; halving the log-energy step reduces the error
    by 2^order.  Observed: ~2 for the reference method's second-order reconstruction, ~1 for
    its order 1.  (Ultra-relativistic electrons: T and p faces coincide to 1e-5 above 0.1 GeV.)"""
    errors = {}
    for order in (1, 2):
        errs = []
        for n_per_decade in (8, 16, 32):
            T = np.geomspace(0.1, 100, 3 * n_per_decade + 1)
            n, expected = _loss_only(T, SolverSettings(method="reference", energy_order=order))
            sel = (T > 0.3) & (T < 30)
            errs.append(np.max(np.abs(n[sel] / expected[sel] - 1)))
        errors[order] = errs
    order2 = np.log2(errors[2][1] / errors[2][2])
    order1 = np.log2(errors[1][1] / errors[1][2])
    assert errors[2][2] < 2e-3
    assert order2 > 1.7
    assert 0.8 < order1 < 1.3
    assert errors[2][2] < errors[1][2]


def test_pure_energy_losses_and_convergence_order():
    """The default scheme against the analytic loss-only solution (q ~ T^-2 e^(-T/50),
    b ~ T^2): the exponentially fitted first-order scheme converges at order 1 (measured
    errors 11.7, 6.9, 3.7 % at 8, 16, 32 per decade: upwind where losses dominate), its
    defect correction at order 2 (0.50, 0.12, 0.031 %)."""
    errors = {}
    for correct in (False, True):
        errs = []
        for n_per_decade in (8, 16, 32):
            T = np.geomspace(0.1, 100, 3 * n_per_decade + 1)
            n, expected = _loss_only(T, SolverSettings(defect_correction=correct))
            sel = (T > 0.3) & (T < 30)
            errs.append(np.max(np.abs(n[sel] / expected[sel] - 1)))
        errors[correct] = errs
    assert 0.8 < np.log2(errors[False][1] / errors[False][2]) < 1.3
    assert np.log2(errors[True][1] / errors[True][2]) > 1.8
    assert errors[True][1] < 2e-3  # 16 per decade
    assert errors[True][2] < 5e-4


@pytest.mark.parametrize("settings, rtol", [
    (SolverSettings(), 0.005),
    (SolverSettings(defect_correction=False), 0.062),
    (SolverSettings(method="reference", energy_order=2), 0.02),
])
def test_delta_injection_cools_along_b(settings, rtol):
    """A mono-energetic injection at T0 with losses only: n(T) = Q / b(T) below T0, zero above.
    The first-order scheme takes the face value as if n ~ T^-3 (the spectrum of a T^-2
    source), so a source-free cooling spectrum T^-2 is off by the factor exp(-h/2), h the
    ln-energy step: -5.6 % at 20 per decade (measured -5.6 %); the defect correction removes it
    (measured 0.17 % at every energy below the line); the reference method's second order: 2 %."""
    model = _model(z_h_kpc=1.0, D0_1e28_cm2_s=1e-8)
    T = np.geomspace(0.1, 100, 61)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 5, 7, T)
    b0 = 1e-16
    prop = Propagator(model, grid, "electron", loss_rate=lambda R, z, TT: b0 * TT**2, settings=settings)
    j0 = 45
    q = np.zeros(grid.shape)
    rate = 1e-20  # per cm^3 per s, all in cell j0 (q_T = rate / dT)
    q[:, :, j0] = rate / prop.energy_bin_widths[j0]
    n = prop.solve(q).at(0.0, 0.0)
    below = (T < T[j0 - 2]) & (T > T[0])  # the lowest cell's outflow face is first order
    assert np.allclose(n[below], rate / (b0 * T[below] ** 2), rtol=rtol)
    assert np.all(np.abs(n[j0 + 2:]) < 1e-6 * n[j0])


@pytest.mark.parametrize("correct", [False, True])
def test_linearity_and_positivity(correct):
    """GH (re-acceleration, convection, losses): linear to the solver tolerance, and no
    negative densities: exactly with the first-order (M-matrix) scheme, to 1e-6 of the
    maximum with the defect correction (measured ...)."""
    model = PRESETS["GH"]
    grid = Grid.for_model(model, np.geomspace(1e-3, 100, 36), dR_kpc=2.0, dz_kpc=0.4)
    prop = Propagator(model, grid, "positron", loss_rate=lambda R, z, T: 1e-16 * (T + 5e-4) ** 2 + 3e-18,
                      settings=SolverSettings(rtol=1e-8, defect_correction=correct))
    q1 = lambda R, z, T: model.source_distribution(R, z) * T**-2.5  # noqa: E731
    q2 = lambda R, z, T: np.exp(-((R - 8.5) ** 2) / 4 - z**2) * np.exp(-T / 1.0)  # noqa: E731
    a, b = 2.0, 7e3
    n1 = prop.solve(q1).density
    n2 = prop.solve(q2).density
    n12 = prop.solve(lambda R, z, T: a * q1(R, z, T) + b * q2(R, z, T)).density
    # the GMRES tolerance (1e-8) holds in a norm weighted by p^-3 per energy block, so the
    # per-point relative error reaches ~1e-5 at the lowest energies: tolerance 1e-4
    assert np.allclose(n12, a * n1 + b * n2, rtol=1e-4)
    for n in (n1, n2, n12):
        assert n.min() >= -(1e-6 if correct else 1e-9) * n.max()


def test_coarse_grid_refused_for_order_2_of_the_reference_method():
    model = PRESETS["GH"]
    grid = Grid.for_model(model, np.geomspace(1e-3, 100, 16), dR_kpc=2.0, dz_kpc=0.4)
    with pytest.raises(ValueError, match="second-order"):
        Propagator(model, grid, "positron", settings=SolverSettings(method="reference", energy_order=2))
    prop = Propagator(model, grid, "positron", loss_rate=lambda R, z, T: 1e-16 * (T + 5e-4) ** 2 + 3e-18,
                      settings=SolverSettings(defect_correction=False))
    n = prop.solve(lambda R, z, T: model.source_distribution(R, z) * T**-2.5).density
    assert n.min() >= 0


def test_energy_response_equals_a_solve():
    model = PRESETS["MED"]
    grid = Grid.for_model(model, np.geomspace(0.01, 100, 12), dR_kpc=2.0, dz_kpc=0.4)
    prop = Propagator(model, grid, "positron", loss_rate=lambda R, z, T: 1e-16 * T**2)
    spectrum = lambda T: T**-2.3  # noqa: E731
    direct = prop.solve(lambda R, z, T: model.source_distribution(R, z) * spectrum(T)).flux(model.r_sun_kpc)
    via_response = prop.local_flux(model.source_distribution, spectrum)
    assert np.allclose(via_response, direct, rtol=1e-6)


def test_spatial_refinement_converges():
    """Flux at the Sun on three spatial grids (1, 0.5, 0.25 kpc in R; dz = dR / 5): the
    differences shrink with an observed order > 1 (measured: 1.8 % then 0.14 %; second-order
    diffusion and source sampling; coarser grids, dz = 0.4 kpc, are not yet asymptotic
    because the high-energy loss length is ~1 kpc)."""
    model = PRESETS["MED"]
    T = np.geomspace(0.1, 100, 8)
    fluxes = []
    for dR in (1.0, 0.5, 0.25):
        grid = Grid.for_model(model, T, dR_kpc=dR, dz_kpc=dR / 5)
        prop = Propagator(model, grid, "positron", loss_rate=lambda R, z, TT: 1e-16 * TT**2)
        src = lambda R, z, TT: np.exp(-((R - 8.0) ** 2) / 8.0) * np.exp(-(z**2) / 0.5) * TT**-2.5  # noqa: E731
        fluxes.append(prop.solve(src).flux(model.r_sun_kpc))
    d1 = np.max(np.abs(fluxes[1] / fluxes[0] - 1))
    d2 = np.max(np.abs(fluxes[2] / fluxes[1] - 1))
    assert d2 < d1
    assert np.log2(d1 / d2) > 1.0


def test_bad_inputs():
    model = PRESETS["MED"]
    with pytest.raises(ValueError, match="odd"):
        Grid(20.0, 3.2, 11, 20, np.array([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="increasing"):
        Grid(20.0, 3.2, 11, 21, np.array([3.0, 2.0, 1.0]))
    grid = Grid.for_model(model, np.geomspace(1, 10, 4), dR_kpc=4.0, dz_kpc=0.8)
    with pytest.raises(ValueError, match=">= 0"):
        Propagator(model, grid, "positron", loss_rate=lambda R, z, T: -1.0 * T)
    with pytest.raises(ValueError, match="energy_order"):
        SolverSettings(energy_order=3)
    with pytest.raises(ValueError, match="reference method"):
        SolverSettings(energy_order=2)
    with pytest.raises(ValueError, match="method"):
        SolverSettings(method="multigrid")
    other = Grid(20.0, 4.0, 6, 11, np.geomspace(1, 10, 4))
    with pytest.raises(ValueError, match="halo size"):
        Propagator(model, other, "positron")
    prop = Propagator(model, grid, "positron")
    with pytest.raises(ValueError, match="outside the halo"):
        prop.solve(np.ones(grid.shape)).at(25.0, 0.0)


def test_uniform_source_gives_the_slab_escape_time():
    """A source uniform in the halo, pure diffusion: n(z) = Q (H^2 - z^2) / (2 D) (exact for the
    three-point Laplacian), whose mean over the slab is Q H^2 / (3 D) -- the leaky box
    n = Q tau_esc with the slab's escape time tau_esc = H^2 / (3 D)."""
    model = _model(z_h_kpc=1.0)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 11, 41, np.array([1.0, 3.0, 10.0]))
    prop = Propagator(model, grid, "proton")
    Q = 1e-25
    n = prop.solve(np.full(grid.shape, Q)).density[0]
    D = model.diffusion(grid.T, "proton")
    H = model.z_h_kpc * u.kpc
    z = grid.z_kpc * u.kpc
    assert np.allclose(n, Q * (H**2 - z[:, None] ** 2) / (2 * D[None, :]), rtol=1e-6)
    # mean over |z| < H by Simpson's rule on the nodes plus the zero boundary values
    from scipy.integrate import simpson

    z_all = np.concatenate([[-H], z, [H]])
    n_all = np.vstack([np.zeros(3), n, np.zeros(3)])
    mean = simpson(n_all, x=z_all, axis=0) / (2 * H)
    assert np.allclose(mean, Q * H**2 / (3 * D), rtol=1e-6)


# --- decay of unstable species ---------------------------------------------------------------
def _slab_with_decay(n_z, lifetime_s):
    """Uniform source Q in the slab |z| < H, pure diffusion (D constant) and decay at the rate
    1/(gamma tau): density at R = 0 and the analytic 1D solution
    n(z) = Q tau_d (1 - cosh(z/l)/cosh(H/l)), tau_d = gamma tau, l = sqrt(D tau_d)."""
    model = _model(z_h_kpc=1.0)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 11, n_z, np.array([1.0, 10.0, 100.0]))
    prop = Propagator(model, grid, "proton", catastrophic_rate=decay_rate("proton", lifetime_s))
    Q = 1e-25
    n = prop.solve(np.full(grid.shape, Q)).density[0]
    D = model.diffusion(grid.T, "proton")
    H = model.z_h_kpc * u.kpc
    z = grid.z_kpc * u.kpc
    gamma = kin.gamma_from_kinetic(grid.T, kin.get_species("proton").mass)
    tau_d = gamma * lifetime_s
    ell = np.sqrt(D * tau_d)
    exact = Q * tau_d * (1 - np.cosh(z[:, None] / ell) / np.cosh(H / ell))
    return grid, n, exact, Q, D, H, ell, tau_d


def test_decay_in_a_slab_matches_the_analytic_solution():
    """tau = 5e13 s (rest frame) on protons at T = 1, 10, 100 GeV: gamma = 2.07, 11.7, 108,
    decay lengths l = 0.57, 1.36, 4.1 H, so the density at z = 0 is suppressed to 0.43, 0.81,
    0.98 of the stable one.  The three-point Laplacian has a second-order error
    ~ (dz/l)^2 / 12 relative (the discrete decay mode is cosh(kappa z) with
    2 (cosh(kappa dz) - 1) = (dz/l)^2): that is the asserted tolerance, at z = 0, pointwise
    and for the slab mean Q tau_d (1 - (l/H) tanh(H/l)).  Measured at n_z = 41: 2.7e-4,
    9e-5, 1.2e-5 at z = 0 (tolerances 6.4e-4, 1.1e-4, 1.2e-5), and 4x less at n_z = 81."""
    from scipy.integrate import simpson

    tau = 5e13
    errors = []
    for n_z in (41, 81):
        grid, n, exact, Q, D, H, ell, tau_d = _slab_with_decay(n_z, tau)
        tol = (grid.dz_kpc * u.kpc / ell) ** 2 / 12 + 1e-6
        k0 = grid.z_kpc.size // 2
        assert grid.z_kpc[k0] == pytest.approx(0.0, abs=1e-12)
        err0 = np.abs(n[k0] / exact[k0] - 1)
        assert np.all(err0 < tol)
        assert np.all(np.abs(n / exact - 1) < 1.5 * tol[None, :])  # pointwise (near the edges too)
        z_all = np.concatenate([[-H], grid.z_kpc * u.kpc, [H]])
        n_all = np.vstack([np.zeros(3), n, np.zeros(3)])
        mean = simpson(n_all, x=z_all, axis=0) / (2 * H)
        mean_exact = Q * tau_d * (1 - ell / H * np.tanh(H / ell))
        assert np.all(np.abs(mean / mean_exact - 1) < 1.5 * tol)
        errors.append(err0)
    # second order in dz: halving dz divides the error by ~4
    assert np.all(errors[0] / errors[1] > 3.5)
    # and the decay matters: suppression below the stable Q H^2 / 2D as predicted
    suppression = n[k0] / (Q * H**2 / (2 * D))
    assert np.allclose(suppression, [0.432, 0.814, 0.976], atol=2e-3)


def test_decay_is_time_dilated():
    """The same lifetime without time dilation (tau_d = tau at every energy) would predict a
    density at z = 0 too low by 63 %, 208 % and 269 % at 1, 10, 100 GeV; the solver follows
    gamma(T): the ratio of the densities at two energies matches the dilated formula to the
    grid tolerance, and the undilated one is excluded."""
    tau = 5e13
    grid, n, exact, Q, D, H, ell, tau_d = _slab_with_decay(41, tau)
    k0 = grid.z_kpc.size // 2
    ratio = n[k0, 1] / n[k0, 0]  # 10 GeV over 1 GeV
    assert ratio == pytest.approx(exact[k0, 1] / exact[k0, 0], rel=1e-3)
    ell_rest = np.sqrt(D * tau)
    undilated = Q * tau * (1 - 1 / np.cosh(H / ell_rest))
    assert np.all(n[k0] / undilated - 1 > 0.5)
    assert abs(ratio - undilated[1] / undilated[0]) > 0.1 * ratio  # D constant: undilated ratio 1


def test_for_species_lifetime_adds_the_decay_rate():
    """``for_species(..., lifetime_s=tau)`` differs from the stable propagator exactly by the
    diagonal decay rate 1/(gamma tau) in every cell (on top of fragmentation for nuclei; alone
    for leptons)."""
    model = PRESETS["MED"]
    grid = Grid.for_model(model, np.geomspace(0.1, 100, 4), dR_kpc=4.0, dz_kpc=0.8)
    tau = 4.4e13  # 10Be, 1.39 Myr
    for species in ("proton", "positron"):
        stable = Propagator.for_species(model, grid, species).operator
        unstable = Propagator.for_species(model, grid, species, lifetime_s=tau).operator
        diff = (unstable.matrix - stable.matrix).tocsr()
        mass = kin.get_species(species).mass
        rate = 1.0 / (kin.gamma_from_kinetic(grid.T, mass) * tau)  # unknowns ordered (R, energy, z)
        expected = np.broadcast_to(rate[None, :, None], (stable.n_rows, stable.n_T, stable.n_z)).ravel()
        # round-off of the difference: relative to the stable diagonal (diffusion, losses)
        scale = np.abs(stable.matrix.diagonal())
        assert np.all(np.abs(diff.diagonal() - expected) <= 1e-12 * scale + 1e-9 * expected)
        diff.setdiag(0)
        diff.eliminate_zeros()
        assert diff.nnz == 0 or np.max(np.abs(diff.data)) < 1e-12 * np.max(scale)
    with pytest.raises(ValueError, match="lifetime"):
        decay_rate("proton", -1.0)


# --- the leaky box as the limit of the 2D solver, with energy losses --------------------------
def test_leaky_box_limit_with_energy_losses():
    """Uniform source filling the slab |z| < H = 2 kpc, D constant, uniform losses b = b0 T^2,
    no re-acceleration or convection: the z-averaged density against
    ``LeakyBox.solve_lepton`` with tau_esc = H^2 / (3 D) (4.2e14 s; tau_loss = 1/(b0 T)
    equals it at 24 GeV).

    Exact reference: the uniform source is sum_k (4/pi) (-1)^k/(2k+1) cos((2k+1) pi z / 2H),
    each cosine mode a leaky box with tau_k = 4 H^2 / (pi^2 (2k+1)^2 D), and the slab mean is
    sum_k w_k n_LB(tau_k), w_k = 8 / (pi^2 (2k+1)^2) (sum w_k = 1, sum w_k tau_k = H^2/3D).  The
    leaky box keeps only the mean escape time, so it is exact without losses (n linear in
    tau) and when losses dominate (n independent of tau); in between n_LB(tau) is concave in
    tau and the one-tau box over-estimates the mean (Jensen).
    Measured: 2D vs the mode sum <= 0.3 % (grid: dz = 0.1 kpc, 16 energies per decade,
    second-order energy scheme); 2D vs the leaky box 0.06-0.7 % where tau_esc/tau_loss < 0.15
    (diffusion fast against losses), up to 12.1 % where tau_esc ~ 2 tau_loss, 4.6 % at
    tau_esc = 40 tau_loss.  Asserted: 1 %, 1.5 % and 15 % (the lowest-mode error)."""
    from positrons import constants as const
    from positrons.propagation.leaky_box import Grammage, LeakyBox
    from scipy.integrate import simpson

    model = _model(z_h_kpc=2.0)
    npd = 16
    T = np.geomspace(0.1, 1e4, 4 * npd + 1)
    grid = Grid(model.R_h_kpc, model.z_h_kpc, 5, 41, T)
    b0 = 1e-16

    def b(TT):
        return b0 * np.asarray(TT) ** 2

    def Q(TT):
        return 1e-26 * TT**-2.2 * np.exp(-TT / 2000.0)

    prop = Propagator(model, grid, "electron", loss_rate=lambda R, z, TT: b(TT))
    n = prop.solve(np.broadcast_to(Q(T), grid.shape)).density[0]  # R = 0, 10 H from R_h
    H = model.z_h_kpc * u.kpc
    D = float(model.diffusion(1.0, "electron"))
    z_all = np.concatenate([[-H], grid.z_kpc * u.kpc, [H]])
    mean2d = simpson(np.vstack([np.zeros(T.size), n, np.zeros(T.size)]), x=z_all, axis=0) / (2 * H)

    def box(tau):
        """Leaky box of constant escape time tau: X = X0 beta (delta = 0) gives X/(rho beta c)."""
        m_per_H = LeakyBox().mean_mass_per_H_g
        grammage = Grammage(X0_g_cm2=tau * m_per_H * 1.0 * const.c_light, rigidity0_GV=1.0, delta=0.0)
        return LeakyBox(grammage=grammage, n_H_cm3=1.0, loss_rate=b)

    tau_esc = H**2 / (3 * D)
    assert np.allclose(box(tau_esc).escape_time(T, "electron"), tau_esc, rtol=1e-12)
    # references on a 5x finer (nested) energy grid: the leaky box scheme is second order
    T_fine = np.geomspace(0.1, 1e4, 4 * npd * 5 + 1)
    lb = box(tau_esc).solve_lepton(Q(T_fine), T_fine, "electron")[::5]
    K = 400
    modes = np.zeros_like(T_fine)
    for k in range(K):
        tau_k = 4 * H**2 / (np.pi**2 * (2 * k + 1) ** 2 * D)
        modes += 8 / (np.pi**2 * (2 * k + 1) ** 2) * box(tau_k).solve_lepton(Q(T_fine), T_fine, "electron")
    # modes k >= K escape in tau_k < 1e-5 tau_loss: n_k = Q tau_k, summed in closed form
    k = np.arange(K, 100 * K)
    modes += Q(T_fine) * np.sum(32 * H**2 / (np.pi**4 * D * (2 * k + 1) ** 4))
    modes = modes[::5]

    sel = (T > 0.3) & (T < 1000)  # away from the top of the grid (cut-off, truncation)
    ratio_lb = mean2d[sel] / lb[sel] - 1
    ratio_modes = mean2d[sel] / modes[sel] - 1
    esc_over_loss = (tau_esc * b(T) / T)[sel]
    assert np.max(np.abs(ratio_modes)) < 0.01
    fast = esc_over_loss < 0.15
    assert fast.sum() >= 8
    assert np.max(np.abs(ratio_lb[fast])) < 0.015
    assert np.max(np.abs(ratio_lb)) < 0.15
    # the lowest-mode error is a real one (the box over-estimates) and peaks near tau_esc ~ tau_loss
    assert np.max(-ratio_lb) > 0.08
    assert 0.5 < esc_over_loss[np.argmax(-ratio_lb)] < 10
