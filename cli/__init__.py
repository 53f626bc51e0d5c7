"""The ``forecastle`` command's verbs: click commands, one module per group, over the domain
packages (``questions`` <- ``arguments`` <- ``forecast`` <- ``cli``; never ``screens``).

``COMMANDS`` names each top-level verb's command as ``module:attribute``; the root group in
``tui.py`` imports a module only when its verb is looked up, so opening the TUI imports none.
"""

COMMANDS = {
    "question": "cli.question:question",
    "forecast": "cli.forecasting:forecast_cmd",
    "resolve": "cli.forecasting:resolve_cmd",
    "unresolve": "cli.forecasting:unresolve_cmd",
    "condition": "cli.links:condition_cmd",
    "conditions": "cli.links:conditions_cmd",
    "indicator": "cli.links:indicator",
    "whatif": "cli.links:whatif_cmd",
    "evidence": "cli.evidence:evidence",
    "source": "cli.sources:source",
    "tree": "cli.tree:tree",
    "comment": "cli.review:comment_cmd",
    "comments": "cli.review:comments_cmd",
    "review": "cli.review:review_cmd",
    "challenge": "cli.review:challenge_cmd",
    "accept": "cli.review:accept_cmd",
    "reject": "cli.review:reject_cmd",
    "resolve-thread": "cli.review:resolve_thread_cmd",
    "ach": "cli.ach:ach_cmd",
    "report": "cli.report:report_cmd",
    "calibration": "cli.calibration:calibration_cmd",
    "import": "cli.imports:import_group",
    "export": "cli.exports:export_group",
    "datasette-metadata": "cli.datasette_meta:datasette_metadata_cmd",
    "backup": "cli.backup:backup_cmd",
    "diff": "cli.diff:diff_cmd",
    "git": "cli.gitcmds:git_group",
}
