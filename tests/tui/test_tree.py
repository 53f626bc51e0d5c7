"""The argument tree screen: weights that follow the stances, the link picker, indicator leaves."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Static, Tree

from arguments.indicators import add_indicator
from arguments.tree_store import add_node, get_node, link_evidence
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from tests.tui.conftest import save


def labels(tree: Tree) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            found.append(str(child.label))
            walk(child)

    walk(tree.root)
    return found


async def open_tree(pilot) -> Tree:
    await pilot.pause()
    await pilot.press("enter", "t")
    await pilot.pause()
    return pilot.app.screen.query_one(Tree)


async def test_an_attacking_claim_under_an_attacking_one_reads_by_its_stance(
    make_app, seeded_path: Path
) -> None:
    """Q1: N1 attacks Q1 with E2 (LR 0.5, credibility 0.8: -2.41 dB toward Yes); N2 supports N1
    with nothing yet; N3 attacks N1 with E1 (LR 3: +4.77 dB toward Yes). N3 argues for Yes (two
    attacks), its evidence backs it, and it attacks N1: it reads -4.8 dB. N1's subtree is
    -2.41 + 4.77 = +2.4 dB toward Yes: it attacks Q1 but its evidence (net) backs Yes."""
    with open_workspace(seeded_path) as db:
        n1 = add_node(db, 1, "Washington resists", stance="attacks", by="amira")
        add_node(db, 1, "The Pentagon wants bases", stance="supports", under=n1.id, by="amira")
        n3 = add_node(db, 1, "Congress is tired", stance="attacks", under=n1.id, by="amira")
        link_evidence(db, n1.id, 2, by="amira")
        link_evidence(db, n3.id, 1, by="amira")
    app = make_app()
    async with app.run_test(size=(180, 44)) as pilot:
        tree = await open_tree(pilot)
        shown = labels(tree)
        assert any(
            s.startswith("⊖ N1 Washington resists  [+2.4 dB, against Yes · draft]")
            and "⚠ attacks but its evidence favours Yes" in s
            for s in shown
        ), shown
        assert "⊖ N3 Congress is tired  [-4.8 dB, for Yes · draft]" in shown
        assert "⊕ E1 Parliament votes to expel foreign forces  [+4.8 dB · draft]" in shown
        assert "⊕ E2 Pentagon says no plan to leave  [+2.4 dB · draft]" in shown


async def test_link_picker_lists_the_items_and_filters_as_you_type(
    make_app, seeded_path: Path
) -> None:
    with open_workspace(seeded_path) as db:
        node = add_node(db, 1, "Baghdad wants them out", stance="supports", by="amira")
        link_evidence(db, node.id, 1, by="amira")
    app = make_app()
    async with app.run_test(size=(180, 44)) as pilot:
        tree = await open_tree(pilot)
        await pilot.press("down")
        assert tree.cursor_node is not None and tree.cursor_node.data == node.id
        await pilot.press("l")
        await pilot.pause()
        picker = app.screen.query_one("#ln-picker", OptionList)
        offered = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        # the question's items not already under the claim, with their LR and credibility
        assert offered == [
            "E2  LR 0.5, credibility 0.8  Pentagon says no plan to leave",
            "E3  LR 1.8, credibility 1  Drawdown to 3,000 announced",
        ]
        await pilot.press(*"zzz")
        await pilot.pause()
        assert picker.option_count == 0
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "find: no item matches 'zzz'" in error
        app.screen.query_one("#ln-filter", Input).value = ""
        await pilot.press(*"drawdown")
        await pilot.pause()
        assert picker.option_count == 1
        await save(pilot)
        assert isinstance(app.screen.query_one(Tree), Tree)  # back on the tree
    with open_workspace(seeded_path) as db:
        assert get_node(db, node.id).evidence == [1, 3]


async def test_link_picker_moves_with_up_and_down_and_links_on_enter(
    make_app, seeded_path: Path
) -> None:
    with open_workspace(seeded_path) as db:
        node = add_node(db, 1, "Baghdad wants them out", stance="supports", by="amira")
    app = make_app()
    async with app.run_test(size=(180, 44)) as pilot:
        await open_tree(pilot)
        await pilot.press("down", "l")
        await pilot.pause()
        await pilot.press("down", "down", "up", "down")  # E1 -> E2 -> E3 -> E2 -> E3
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    with open_workspace(seeded_path) as db:
        assert get_node(db, node.id).evidence == [3]


async def test_an_indicator_item_is_a_leaf_marked_with_its_question_and_outcome(
    make_app, seeded_path: Path
) -> None:
    """Q4 indicates Q1 (P(Q4 Yes | Yes) = 0.8, | No = 0.3); Q4 resolves Yes, so Q1 gets E5 with
    LR 0.8 / 0.3: 10 log10(8/3) = +4.3 dB toward Yes. Unlinked, it shows in the indicator
    branch; linked under a claim, it is that claim's leaf, still marked."""
    with open_workspace(seeded_path) as db:
        child = store.add_question(db, QuestionDraft(title="Rockets hit Ain al-Asad"), author="a")
        add_indicator(db, 1, child.id, [0.8, 0.3], by="amira")
        store.resolve(db, child.id, "Yes", by="amira")
        (eid,) = db.execute("select id from evidence where indicator_id is not null").fetchone()
    app = make_app()
    async with app.run_test(size=(180, 44)) as pilot:
        tree = await open_tree(pilot)
        shown = labels(tree)
        branch = "◆ indicators (items made by resolved indicator questions)"
        assert branch in shown
        leaf = f"◆ E{eid} indicator Q{child.id} resolved Yes: Rockets hit Ain al-Asad  [+4.3 dB · draft]"
        assert leaf in shown
    with open_workspace(seeded_path) as db:
        node = add_node(db, 1, "Militias escalate", stance="supports", by="amira")
        link_evidence(db, node.id, eid, by="amira")
    app = make_app()
    async with app.run_test(size=(180, 44)) as pilot:
        tree = await open_tree(pilot)
        shown = labels(tree)
        assert branch not in shown
        assert (
            f"⊕ E{eid} ◆ indicator Q{child.id} resolved Yes: Rockets hit Ain al-Asad  "
            "[+4.3 dB · draft]" in shown
        )
