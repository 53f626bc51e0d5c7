"""What the CLI and the screens show of a question: the ``question show`` data, the home
overview, argument-tree exports, the ACH matrix, disputes and the review view. Built on
``forecast.engine`` and the stores; nothing here draws on a screen."""
