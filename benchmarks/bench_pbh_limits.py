"""Benchmark of the headline scan: f_PBH limits for 6 models x 3 datasets x 30 masses.

    python benchmarks/bench_pbh_limits.py

Prints the one-off cost per model (transport operator + energy response for halo-shaped
sources) and the time of the scan itself once the responses exist (the issue's target: under
2 minutes).  Baseline, measured in the same run: the first (uncached) scan of one model and
dataset, which includes building its response.
"""

import time

import numpy as np

from positrons.propagation.models import PRESETS
from positrons.analysis.pbh_limits import pbh_limit_scan, pbh_response
from positrons.analysis.pbh_settings import LIMIT_DATASETS as DATASETS
from positrons.analysis.transport import Transport


def main():
    masses = np.geomspace(5e14, 1e17, 30)
    build, responses = {}, {}
    transport = Transport(cache=None)
    for name, model in PRESETS.items():
        t0 = time.perf_counter()
        responses[name] = pbh_response(model, transport)
        responses[name].halo_response()
        build[name] = time.perf_counter() - t0
        print(f"{name}: operator + energy response {build[name]:.1f} s")
    t0 = time.perf_counter()
    for name in PRESETS:
        for ds in DATASETS:
            pbh_limit_scan(name, masses, dataset=ds, transport=transport, response=responses[name])
    scan = time.perf_counter() - t0
    print(f"scan of {len(PRESETS)} models x {len(DATASETS)} datasets x {masses.size} masses (monochromatic, no "
          f"background) with the responses built: {scan:.1f} s ({scan / (len(PRESETS) * len(DATASETS) * masses.size) * 1e3:.0f} ms "
          f"per limit); one-off builds {sum(build.values()):.0f} s; ratio builds/scan {sum(build.values()) / scan:.1f}")


if __name__ == "__main__":
    main()
