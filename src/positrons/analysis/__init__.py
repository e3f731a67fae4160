"""Analysis pipelines: where a propagation model, a grid, sources, the heliosphere and the
measurements meet, returning result records (with ``.plot()`` drawing them lazily)."""
