"""The Bayesian engine and a question's model: pure array functions (``bayes``), the conversion
of stored evidence into engine input (``inputs``) and a question's model over the workspace
(``model``). May import ``questions`` and ``arguments``; never another room of ``forecast``."""
