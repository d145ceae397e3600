"""nbval (``make test``) checks the default report's notebooks only.

The studies (``05_validation``, ``06_general_debate``: notebook metadata
``"report": {"default": false}``, see :func:`analysis.runner.is_study`) read ``../shared`` and
run for minutes; their outputs are not committed. They run through their parameters files
(``make report PARAMS=params/validation.yml``) and are tested in ``tests/test_studies.py``.
"""

from pathlib import Path

from analysis.runner import all_notebooks, is_study

collect_ignore = [p.name for p in all_notebooks(Path(__file__).parent) if is_study(p)]
