"""History importers: other forecasting tools' exports as forecastle questions, forecasts,
resolutions and comments. One module per format parses a file into a ``Batch``
(``records``); ``writer`` writes a batch in one transaction. Uses the stores only."""
