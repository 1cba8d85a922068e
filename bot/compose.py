"""Turn a CheckResult into the Japanese reply. Every channel shows these words; only the layout differs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import CheckResult, Finding, Link, Verdict

MAX_REASONS = 5

TITLES = {
    Verdict.DANGER: "危険：詐欺の可能性が高いメッセージです",
    Verdict.CAUTION: "注意：詐欺によくある特徴があります",
    Verdict.NO_SIGNS: "目立った特徴なし",
}
LABELS = {Verdict.DANGER: "危険", Verdict.CAUTION: "注意", Verdict.NO_SIGNS: "目立った特徴なし"}
ICONS = {Verdict.DANGER: "⚠️", Verdict.CAUTION: "⚠", Verdict.NO_SIGNS: "ℹ️"}


@dataclass(frozen=True)
class Reply:
    """The reply in parts (for cards and blocks) and as one plain text."""

    verdict: Verdict
    label: str
    title: str
    summary: str
    reasons: tuple[str, ...]
    actions: tuple[str, ...]
    contacts: tuple[str, ...]
    links: tuple[Link, ...]
    text: str


def _summary(result: CheckResult) -> str:
    if result.verdict is Verdict.NO_SIGNS:
        return "詐欺によくある特徴は見つかりませんでした。ただし、安全と決まったわけではありません。"
    pretend = f"{result.brand}を名乗っていますが、" if result.brand else ""
    if result.verdict is Verdict.DANGER:
        return f"{pretend}詐欺SMSの特徴がいくつも当てはまります。"
    return f"{pretend}詐欺SMSによくある特徴が見つかりました。落ち着いて確かめてください。"


def reason_line(finding: Finding) -> str:
    """One reason in plain words, quoting the words of the message it is based on."""
    if finding.kind == "rule" and finding.evidence and f"「{finding.evidence}」" not in finding.text:
        return f"{finding.text}(「{finding.evidence}」)"
    return finding.text


def _contact_lines(result: CheckResult) -> tuple[str, ...]:
    lines = []
    for c in result.contacts:
        head = " ".join(part for part in (c.name, c.phone) if part)
        lines.append(head + (f"\n  {c.url}" if c.url else "") + (f"\n  {c.note}" if c.note else ""))
    return tuple(lines)


def compose(result: CheckResult) -> Reply:
    """The reply for one result."""
    reasons = tuple(reason_line(f) for f in result.reasons[:MAX_REASONS])
    actions = result.advice
    contacts = _contact_lines(result)
    title = TITLES[result.verdict]
    summary = _summary(result)
    parts = [f"{ICONS[result.verdict]} {title}", summary]
    if reasons:
        parts.append("【こう判断した理由】\n" + "\n".join(f"・{r}" for r in reasons))
    if actions:
        heading = "【いますぐすること】" if result.verdict is not Verdict.NO_SIGNS else "【念のため】"
        parts.append(heading + "\n" + "\n".join(f"・{a}" for a in actions))
    if contacts:
        heading = "【本物の連絡先・相談先】" if result.verdict is not Verdict.NO_SIGNS else "【困ったときの相談先】"
        parts.append(heading + "\n" + "\n".join(f"・{c}" for c in contacts))
    if result.links:
        parts.append("【報告先】\n" + "\n".join(f"・{link.title}\n  {link.url}" for link in result.links))
    return Reply(
        verdict=result.verdict, label=LABELS[result.verdict], title=title, summary=summary, reasons=reasons,
        actions=actions, contacts=contacts, links=result.links, text="\n\n".join(parts),
    )


def group_alert(result: CheckResult) -> str:
    """The short warning posted in a family group or channel (danger, or caution where enabled)."""
    about = f"{result.brand}を名乗る" if result.brand else ""
    head = "⚠️ 詐欺の可能性が高いメッセージです" if result.verdict is Verdict.DANGER else "⚠ 詐欺によくある特徴があります"
    first = f"\n理由：{reason_line(result.reasons[0])}" if result.reasons else ""
    return (f"{head}。{about}偽SMSの特徴があります。{first}\n"
            "書かれた番号に電話したり、リンクを開いたりしないでください。")


AFTER_CONTACT = (
    "もう電話した・払ってしまったときは、次のことをしてください。\n\n"
    "・もう一度電話したり、折り返しに出たりしないでください。相手はさらにお金を求めてきます。\n"
    "・ギフトカードや電子マネーで払ったときは、すぐにカードの発行会社に連絡し、カード番号とレシートを残してください。\n"
    "・クレジットカードの番号を入れたときは、カード裏面の番号からカード会社に連絡して止めてもらってください。\n"
    "・お金を払ってしまったときは、警察(110番、または警察相談専用電話 #9110)に相談してください。\n"
    "・どうすればよいか分からないときは、消費者ホットライン 188 に電話してください。"
)
