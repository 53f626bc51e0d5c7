"""The argument tree: pro/con claims with weights, review status and evidence leaves.

Every weight reads toward what its line hangs under (``forecast.views.tree``): ⊕/⊖ is the
stance, + backs the parent and - undercuts it, and a claim says which way it bears on the
question. Items an indicator question's resolution made are leaves marked ◆ with that question
and its outcome (under their claim when linked, else in a branch of their own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static, Tree
from textual.widgets.tree import TreeNode

from arguments.tree_store import REVIEW_STATUSES, link_evidence, set_status
from forecast.views.tree import (
    IndicatorLeaf,
    WeightedNode,
    indicator_leaves,
    leaf_weight_text,
    linked_ids,
    node_weight_text,
    weight_text,
    weighted_tree,
)
from screens.widgets.key_bar import KeyBar
from screens.writes import WriteReplies, write_in_worker

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


class TreeScreen(WriteReplies, Screen[None]):
    """Argument tree: claims for and against, with the weight of their evidence."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("n", "add_claim", "Add claim", id="add-claim"),
        Binding("l", "link", "Link evidence", id="link"),
        Binding("s", "cycle_status", "Review status", id="status"),
        Binding("C", "challenge", "Challenge item", key_display="C", id="challenge"),
        Binding("m", "comment", "Comment", id="comment"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="tree-summary", classes="title")
        yield Tree("question", id="argument-tree")
        yield Static(
            "n: claim under the selected node · l: link evidence (pick from a list) · s: next review status"
            " · C: challenge the selected item · m: comment",
            id="tree-status",
            classes="status-line",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(Tree).focus()

    def reload(self) -> None:
        model, roots = weighted_tree(self.app.db, self.question_id)
        question = self.model_question = model.question
        self.query_one("#tree-summary", Static).update(
            f"{question.short_id} {question.title} — posterior "
            + ", ".join(
                f"{o.name} {float(p):.1%}"
                for o, p in zip(question.outcomes, model.analysis.posterior, strict=True)
            )
        )
        review = dict(
            self.app.db.execute(
                "select id, review_status from evidence where question_id = ?", [self.question_id]
            ).fetchall()
        )
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.set_label(Text(f"{question.short_id}: {question.title}"))
        tree.root.data = None

        indicators = indicator_leaves(self.app.db, model)

        def add(parent: TreeNode, node: WeightedNode) -> None:
            mark = "⊕" if node.node.stance == "supports" else "⊖"
            label = (
                f"{mark} {node.node.short_id} {node.node.text}  "
                f"[{node_weight_text(question, node)} · {node.node.status}]"
            )
            if node.warnings:
                label += "  ⚠ " + "; ".join(node.warnings)
            branch = parent.add(Text(label), data=node.node.id, expand=True)
            for row, item in enumerate(node.evidence):
                leaf_mark = "⊕" if node.leaf_relation(row) == "supports" else "⊖"
                marker = indicators.get(item.id)
                text = item.text[:60] if marker is None else "◆ " + marker.label()[:60]
                branch.add_leaf(
                    Text(
                        f"{leaf_mark} {item.short_id} {text}  "
                        f"[{leaf_weight_text(question, node, row)} · {review.get(item.id, 'draft')}]"
                    ),
                    data=item.short_id,
                )
            for child in node.children:
                add(branch, child)

        for root in roots:
            add(tree.root, root)
        loose = [leaf for eid, leaf in indicators.items() if eid not in linked_ids(roots)]
        if loose:
            self._add_indicators(tree.root, loose, review)
        tree.root.expand()
        if not roots:
            tree.root.add_leaf("no claims yet: press n to add one", data=None)

    def _add_indicators(
        self, root: TreeNode, leaves: list[IndicatorLeaf], review: dict[int, str]
    ) -> None:
        """Indicator items hung under no claim: a branch of leaves, each weighed toward Yes (or
        every outcome), as ``export tree`` lists them under "Linked questions"."""
        question = self.model_question
        branch = root.add("◆ indicators (items made by resolved indicator questions)", expand=True)
        for leaf in leaves:
            if len(leaf.weights) == 1:
                weight = weight_text(question, leaf.weights)
            else:  # the outcome it favours most, to keep the line short
                top = max(range(len(leaf.weights)), key=leaf.weights.__getitem__)
                weight = f"most for {question.outcomes[top].name} {leaf.weights[top]:+.1f} dB"
            branch.add_leaf(
                Text(
                    f"◆ {leaf.item.short_id} {leaf.label()[:60]}  "
                    f"[{weight} · {review.get(leaf.item.id, 'draft')}]"
                ),
                data=leaf.item.short_id,
            )

    def selected_node(self) -> int | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None and isinstance(node.data, int) else None

    def selected_item(self) -> int | None:
        """The evidence leaf under the cursor (its row id), if any."""
        node = self.query_one(Tree).cursor_node
        if node is not None and isinstance(node.data, str) and node.data.startswith("E"):
            return int(node.data[1:])
        return None

    def action_challenge(self) -> None:
        from screens.dialogs.review import ChallengeDialog

        eid = self.selected_item()
        if eid is None:
            self.notify(
                "select an evidence leaf (·) to challenge its likelihoods", severity="warning"
            )
            return
        self.app.push_screen(ChallengeDialog(eid), lambda done: self.reload() if done else None)

    def action_comment(self) -> None:
        from screens.dialogs.review import CommentDialog

        node, eid = self.selected_node(), self.selected_item()
        target = (
            f"N{node}"
            if node is not None
            else f"E{eid}"
            if eid is not None
            else f"Q{self.question_id}"
        )
        self.app.push_screen(
            CommentDialog(target),
            lambda done: self.notify(f"comment on {target} recorded") if done else None,
        )

    def action_add_claim(self) -> None:
        from screens.dialogs.tree import ClaimDialog

        self.app.push_screen(
            ClaimDialog(self.question_id, under=self.selected_node()),
            lambda changed: self.reload() if changed else None,
        )

    def action_link(self) -> None:
        from screens.dialogs.tree import LinkDialog

        node = self.selected_node()
        if node is None:
            self.notify("select a claim first", severity="warning")
            return
        self.app.push_screen(LinkDialog(node), lambda changed: self.reload() if changed else None)

    def action_cycle_status(self) -> None:
        from arguments.tree_store import get_node

        node = self.selected_node()
        if node is None:
            return
        current = get_node(self.app.db, node)
        following = REVIEW_STATUSES[
            (REVIEW_STATUSES.index(current.status) + 1) % len(REVIEW_STATUSES)
        ]
        user, version = self.app.session.user, current.version

        def refused(text: str) -> None:
            self.notify(text, severity="error")
            self.reload()

        write_in_worker(
            self,
            lambda db: set_status(db, node, following, by=user, expected_version=version),
            lambda _: self.reload(),
            refused,
        )

    def action_back(self) -> None:
        self.app.pop_screen()


__all__ = ["TreeScreen", "link_evidence"]
