"""Calibration reports: gathering resolved forecasts from the workspace (``data``), the analysis
(``build``) and its rendering as JSON, CSV, Markdown and HTML (``render``, ``templates/``).
Built on ``forecast.scoring``."""
