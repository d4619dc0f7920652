"""/ia-report: the CSR (RSE) report of a month, a quarter or a year, as an HTML or CSV file, admins only.

The report itself is built by `bot.reports.report`; `sobria report` writes the same file.
Wording: `templates/report_chat.j2` and the `ia-report` entry of `templates/commands.toml`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.command import Argument, Command
from bot.core.config import Config
from bot.core.grammar import UsageError, fold
from bot.core.reply import Reply
from bot.core.services import Ctx, Services, paragraphs
from bot.reports.report import build_report, parse_period

NAME = "ia-report"
FORMATS: tuple[str, ...] = ("html", "csv")


@dataclass(frozen=True)
class ReportRequest:
    period: str  # "2026-11", "2026-Q4", "2026", or "" for the last complete month
    fmt: str  # "html" | "csv"


def parse(text: str, cfg: Config) -> ReportRequest:
    fmt, period = "html", []
    for token in text.split():
        if fold(token) in FORMATS:
            fmt = fold(token)
        else:
            period.append(token)
    if len(period) > 1:
        raise UsageError(NAME, "bad_report_period", {"word": " ".join(period)[:40]})
    return ReportRequest(period[0] if period else "", fmt)


def handle(s: Services, req: ReportRequest, ctx: Ctx) -> Reply:
    today = ctx.today()
    try:
        period = parse_period(req.period, ctx.tz, today)
    except ValueError:
        return s.usage_error(ctx, NAME, "bad_report_period", {"word": req.period[:40]})
    file = build_report(s.store, s.impact, s.r, ctx.ws, period, ctx.settings, lang=ctx.lang, fmt=req.fmt,
                        title=ctx.settings.name, today=today)
    m = s.words(ctx.lang, "report_chat")
    return Reply(kind="report", title=m("title", period, req.fmt), lines=paragraphs(m("note", req.fmt)),
                 attachments=(file,), lang=ctx.lang, data={"period": period.key})


COMMAND = Command(NAME, handle, (Argument("period", "word"), Argument("format", "choice", choices=FORMATS)),
                  parse=parse, admin_only=True)
