"""Scale benchmarks of the kit's helpers (``make bench``; not part of ``make test``).

``python -m benchmarks.run --help`` lists the options; ``benchmarks/results.md`` holds
the last full run. Data is generated once by ``helpers.synth`` and cached in
``benchmarks/cache/`` (git-ignored); see :mod:`benchmarks.tiers`.
"""
