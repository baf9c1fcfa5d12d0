"""Indicators computed from the borrower arrays (never by walking agents).

Each month :class:`MonthlyRecorder` reduces every block of the arrays with one compiled pass
(``_reduce_block``; blocks in worker threads in fast mode, added in block order) into named
accumulators (counts, sums, receivables by delinquency bucket, roll counts, segment counts; each
slot addressed by an index constant derived from the accumulator's name tuple), then into one row
of the time series, one set of segment rows and a roll-rate matrix. Vintages and causes are
computed once at the end from the account dates.

Rates and their denominators:

- ``unemployed_share``: members of the borrower pool out of work at the end of the month ÷ all
  members (the pool is the labour force: applicants or not, rejected and charged-off included);
- ``default_rate``: new defaults ÷ performing (active, not defaulted) accounts at the start of
  the month, after the pool stage (closed accounts whose holders left are not in it; accounts
  opened this month are not either: they cannot default in their first month);
- ``cum_default_rate``: defaults since month 0 ÷ ``n_cohort``, the accounts open and performing
  (not in default) at the start of month 0 plus those opened since (accounts that defaulted or
  closed in the burn-in are in neither); people who left the open pool
  (:mod:`simulator.core.pool`) still count, through :meth:`MonthlyRecorder.retire`;
- ``dpd30_rate`` / ``dpd90_rate``: receivables 31+ / 91+ days past due (two / four or more
  missed cycles, defaulted-not-yet-charged-off included) ÷ all receivables;
- ``utilization``: receivables of active accounts ÷ their credit lines;
- ``open_to_buy``: unused lines of active accounts (line − balance where positive), summed;
- ``approval_rate``: accounts opened this month ÷ applicants this month (those whose
  ``arrival_month`` is this month and who were scored);
- ``loss_rate``: 12 × (charge-offs − recoveries) this month ÷ average of receivables at the
  end of last month and this month (annualised net charge-offs ÷ average receivables);
  ``recoveries`` are those collected this month on earlier charge-offs (the recovery curve of
  :meth:`MonthlyRecorder.recoveries`), not a share of this month's charge-offs.

The cost side: ``revenue`` = merchant fees (``merchant_fee_rate`` × purchases) + instalment fees
+ late fees; under joint lending the bank partner funds ``partner_share`` of its accounts and
bears that share of their net losses (``partner_net_losses``), the rest is
``platform_net_losses``; ``n_restructured*`` count accounts ever restructured under hardship,
those current now (cures) and those that defaulted (re-defaults).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from simulator.config import Config
from simulator.core.accounts import balance
from simulator.core.causes import cause_weights
from simulator.core.economy import MonthEnv
from simulator.core.jit import kernel
from simulator.core.state import (
    ACTIVE,
    CAUSE_CODES,
    CAUSE_LABELS,
    DEFAULTED,
    INCOME_TYPE_NAMES,
    NEVER,
    NOT_ARRIVED,
    Population,
)
from simulator.core.sums import CHARGE_OFFS, PARTNER_CHARGE_OFFS, book_sum

__all__ = ["MonthlyRecorder", "BUCKETS", "SEGMENTS", "vintage_table", "cause_table"]

#: Delinquency buckets (index = min(months_late, MAX_BUCKET)); roll rates add "charged_off".
BUCKETS = ("current", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_90p")
ROLL_STATES = BUCKETS + ("charged_off",)
MAX_BUCKET = len(BUCKETS) - 1  # 90+ days past due: 4 or more missed cycles
CHARGED_OFF_STATE = ROLL_STATES.index("charged_off")
N_STATES = len(ROLL_STATES)
DPD31 = BUCKETS.index("dpd_31_60")  # first bucket of dpd30_rate
DPD91 = BUCKETS.index("dpd_90p")  # first bucket of dpd90_rate
#: A rate with no denominator (no account performing, opened, owing or with a line): NaN, never 0
#: (the empty-book convention, README "Outputs").
NAN = float("nan")
#: Segmentations reported in segments.parquet: name → group labels.
SEGMENTS = {
    "income_type": INCOME_TYPE_NAMES,
    "impulse_tercile": ("low", "mid", "high"),
    "credit_file": ("established", "thin"),
}
_SEG_OFFSETS = np.cumsum([0] + [len(v) for v in SEGMENTS.values()])
_N_GROUPS = int(_SEG_OFFSETS[-1])
_SEG_START = dict(zip(SEGMENTS, (int(o) for o in _SEG_OFFSETS[:-1]), strict=True))
G_INCOME_TYPE = _SEG_START["income_type"]  # + income type code
G_IMPULSE_TERCILE = _SEG_START["impulse_tercile"]  # + tercile
G_CREDIT_FILE = _SEG_START["credit_file"]  # + 1 if thin file

# The month's accumulators, each addressed by name through the index constants below.
_COUNTS = ("n_active", "n_defaulted", "originations", "new_defaults", "cum_defaults",
           "n_ever_opened", "n_cohort", "n_new_delinquent", "n_restructured", "n_restructured_current",
           "n_restructured_defaulted", "applicants")
_SUMS = ("credit_limit", "purchases", "impulse_purchases", "repayments", "fees", "charge_offs",
         "active_receivables", "late_fees", "partner_charge_offs", "partner_receivables", "open_to_buy",
         "constrained_purchases")
_SEG_STATS = ("n_active", "new_defaults", "originations", "n_opened", "cum_defaults", "n_cohort")

C_N_ACTIVE = _COUNTS.index("n_active")
C_N_DEFAULTED = _COUNTS.index("n_defaulted")
C_ORIGINATIONS = _COUNTS.index("originations")
C_NEW_DEFAULTS = _COUNTS.index("new_defaults")
C_CUM_DEFAULTS = _COUNTS.index("cum_defaults")
C_N_EVER_OPENED = _COUNTS.index("n_ever_opened")
C_N_COHORT = _COUNTS.index("n_cohort")
C_N_NEW_DELINQUENT = _COUNTS.index("n_new_delinquent")
C_N_RESTRUCTURED = _COUNTS.index("n_restructured")
C_N_RESTRUCTURED_CURRENT = _COUNTS.index("n_restructured_current")
C_N_RESTRUCTURED_DEFAULTED = _COUNTS.index("n_restructured_defaulted")
C_APPLICANTS = _COUNTS.index("applicants")

S_CREDIT_LIMIT = _SUMS.index("credit_limit")
S_PURCHASES = _SUMS.index("purchases")
S_IMPULSE_PURCHASES = _SUMS.index("impulse_purchases")
S_REPAYMENTS = _SUMS.index("repayments")
S_FEES = _SUMS.index("fees")
S_CHARGE_OFFS = _SUMS.index("charge_offs")
S_ACTIVE_RECEIVABLES = _SUMS.index("active_receivables")
S_LATE_FEES = _SUMS.index("late_fees")
S_PARTNER_CHARGE_OFFS = _SUMS.index("partner_charge_offs")
S_PARTNER_RECEIVABLES = _SUMS.index("partner_receivables")
S_OPEN_TO_BUY = _SUMS.index("open_to_buy")
S_CONSTRAINED_PURCHASES = _SUMS.index("constrained_purchases")

SEG_N_ACTIVE = _SEG_STATS.index("n_active")
SEG_NEW_DEFAULTS = _SEG_STATS.index("new_defaults")
SEG_ORIGINATIONS = _SEG_STATS.index("originations")
SEG_N_OPENED = _SEG_STATS.index("n_opened")
SEG_CUM_DEFAULTS = _SEG_STATS.index("cum_defaults")
SEG_N_COHORT = _SEG_STATS.index("n_cohort")


@kernel
def _reduce_block(P, s, e, t, counts, sums, recv, n_bucket, roll, seg):  # noqa: N803
    """Add borrowers ``s..e-1`` of month ``t`` to the month's accumulators: ``counts`` (by
    ``_COUNTS``), ``sums`` (by ``_SUMS``), receivables and accounts by state (``ROLL_STATES``:
    the buckets, then charged off), ``roll[from * N_STATES + to]`` and ``seg[stat, group]``
    (``_SEG_STATS`` × the groups of ``SEGMENTS``).
    """
    for i in range(s, e):
        st = P.status[i]
        om = P.open_month[i]
        counts[C_APPLICANTS] += P.arrival_month[i] == t and st != NOT_ARRIVED
        if om == NEVER:
            continue
        act = st == ACTIVE
        live = act or st == DEFAULTED
        new_acc = om == t
        dm = P.default_month[i]
        new_def = dm == t
        cum_def = dm >= 0
        cm = P.closed_month[i]
        # the cohort of cum_default_rate: open and performing at the start of month 0, or opened since
        cohort = (dm == NEVER or cum_def) and (cm == NEVER or cm >= 0)
        late = P.months_late[i]
        if act:
            counts[C_N_ACTIVE] += 1
        elif st == DEFAULTED:
            counts[C_N_DEFAULTED] += 1
        counts[C_ORIGINATIONS] += new_acc
        counts[C_NEW_DEFAULTS] += new_def
        counts[C_CUM_DEFAULTS] += cum_def
        counts[C_N_EVER_OPENED] += 1
        counts[C_N_COHORT] += cohort
        counts[C_N_NEW_DELINQUENT] += act and P.late_prev[i] == 0 and late >= 1
        bal = balance(P, i)
        b = min(late, MAX_BUCKET) if live else CHARGED_OFF_STATE
        recv[b] += bal
        n_bucket[b] += 1
        sums[S_CREDIT_LIMIT] += P.line[i]
        sums[S_PURCHASES] += P.purchases_m[i]
        sums[S_IMPULSE_PURCHASES] += P.impulse_m[i]
        sums[S_CONSTRAINED_PURCHASES] += P.constrained_m[i]
        sums[S_REPAYMENTS] += P.paid_m[i]
        sums[S_FEES] += P.fees_m[i]
        sums[S_CHARGE_OFFS] += P.chargeoff_m[i]
        if act:
            sums[S_ACTIVE_RECEIVABLES] += bal
            sums[S_OPEN_TO_BUY] += max(P.line[i] - bal, 0.0)
        sums[S_LATE_FEES] += P.late_fee_m[i]
        if P.partner[i]:
            sums[S_PARTNER_CHARGE_OFFS] += P.chargeoff_m[i]
            sums[S_PARTNER_RECEIVABLES] += bal
        if P.restructured[i] > 0:
            counts[C_N_RESTRUCTURED] += 1
            if act and late == 0:
                counts[C_N_RESTRUCTURED_CURRENT] += 1
            if cum_def:
                counts[C_N_RESTRUCTURED_DEFAULTED] += 1
        closed_now = P.closed_month[i] == t
        if not new_acc and (live or closed_now):
            to = CHARGED_OFF_STATE if closed_now else min(late, MAX_BUCKET)
            roll[min(P.late_prev[i], MAX_BUCKET) * N_STATES + to] += 1
        g0 = G_INCOME_TYPE + np.int64(P.income_type[i])
        g1 = G_IMPULSE_TERCILE + np.int64(P.impulse_tercile[i])
        g2 = np.int64(G_CREDIT_FILE + 1 if P.thin_file[i] else G_CREDIT_FILE)
        for g in (g0, g1, g2):
            seg[SEG_N_ACTIVE, g] += act
            seg[SEG_NEW_DEFAULTS, g] += new_def
            seg[SEG_ORIGINATIONS, g] += new_acc
            seg[SEG_N_OPENED, g] += 1
            seg[SEG_CUM_DEFAULTS, g] += cum_def
            seg[SEG_N_COHORT, g] += cohort


#: The cumulative counts and segment statistics that people who left the pool keep adding to
#: (:meth:`MonthlyRecorder.retire`).
_RETIRED_COUNTS = (C_CUM_DEFAULTS, C_N_EVER_OPENED, C_N_COHORT, C_N_RESTRUCTURED, C_N_RESTRUCTURED_DEFAULTED)
_RETIRED_SEG = (SEG_N_OPENED, SEG_CUM_DEFAULTS, SEG_N_COHORT)
#: What is kept of each account holder who left, for the vintage, cause and score-ranking tables
#: (and ``slot``).
RETIRED_FIELDS = ("open_month", "default_month", "closed_month", "cause", "cause_set", "income_type",
                  "thin_file", "default_balance", "app_score")


def _charge_offs(arrays, blocks: list[slice], map_blocks=map) -> tuple[float, float]:
    """This month's charge-offs (all accounts, partner-funded accounts), summed in float64 in
    numpy's order (:func:`~simulator.core.sums.book_sum`: compiled passes by blocks, no float64 copy).
    """
    return (book_sum(arrays, CHARGE_OFFS, blocks, map_blocks),
            book_sum(arrays, PARTNER_CHARGE_OFFS, blocks, map_blocks))


def _block_accumulators(arrays, sl: slice, t: int) -> tuple[np.ndarray, ...]:
    acc = (np.zeros(len(_COUNTS), dtype=np.int64), np.zeros(len(_SUMS)), np.zeros(N_STATES),
           np.zeros(N_STATES, dtype=np.int64), np.zeros(N_STATES * N_STATES, dtype=np.int64),
           np.zeros((len(_SEG_STATS), _N_GROUPS), dtype=np.int64))
    _reduce_block(arrays, sl.start, sl.stop, t, *acc)
    return acc


class MonthlyRecorder:
    """Collects the monthly indicators of one replicate."""

    def __init__(self, cfg: Config, replicate: int):
        self.cfg = cfg
        self.replicate = replicate
        self.rows: list[dict] = []
        self.seg_rows: list[np.ndarray] = []
        self.rolls: list[np.ndarray] = []
        #: (charge-offs, partner-funded charge-offs) of every month so far, burn-in included
        self.charge_off_history: list[tuple[float, float]] = []
        #: public money paid to borrowers by the policies this month so far (RMB; :meth:`add_transfer`)
        self.transfers = 0.0
        #: what people who left the open pool (:mod:`simulator.core.pool`) keep contributing:
        #: cumulative counts, segment statistics and their account records
        self.retired_counts = np.zeros(len(_COUNTS), dtype=np.int64)
        self.retired_seg = np.zeros((len(_SEG_STATS), _N_GROUPS), dtype=np.int64)
        self._retired_parts: list[dict[str, np.ndarray]] = []

    @property
    def retired(self) -> dict[str, np.ndarray]:
        """The records of the account holders who left (:meth:`retire`), one array per field of
        :data:`RETIRED_FIELDS` and ``slot``. :meth:`retire` keeps each call's records apart; they are
        joined here, once, when read (joining at every call copied all of them every month).
        """
        if len(self._retired_parts) > 1:
            parts = self._retired_parts
            self._retired_parts = [{k: np.concatenate([p[k] for p in parts]) for k in parts[0]}]
        return self._retired_parts[0] if self._retired_parts else {}

    @retired.setter
    def retired(self, records: dict[str, np.ndarray]) -> None:
        self._retired_parts = [records] if records else []

    def add_transfer(self, amount: float) -> None:
        """A policy paid ``amount`` RMB of public money to borrowers this month (benefits, stimulus)."""
        self.transfers += float(amount)

    def retire(self, sub: Population, slots: np.ndarray, closing: np.ndarray, month: int) -> None:
        """Keep the records ``sub`` (a copy, :meth:`Population.take`) of account holders who leave
        the pool in month ``month`` from slots ``slots`` (``closing``: their account was still open
        and closes now, at that month): their share of the cumulative counts (defaults since month
        0, accounts ever opened, the ``n_cohort`` denominator, restructurings) and segment
        statistics, and their account dates for :meth:`book`.
        """
        sub.closed_month[closing] = month
        counts, _, _, _, _, seg = _block_accumulators(sub.arrays(), slice(0, sub.n), month)
        keep = np.zeros(len(_COUNTS), dtype=bool)
        keep[list(_RETIRED_COUNTS)] = True
        self.retired_counts += np.where(keep, counts, 0)
        self.retired_seg[list(_RETIRED_SEG)] += seg[list(_RETIRED_SEG)]
        rec = {name: getattr(sub, name) for name in RETIRED_FIELDS}
        rec["slot"] = np.asarray(slots, dtype=np.int32)  # n_borrowers <= 2e8; book() gives int64
        self._retired_parts.append(rec)

    def book(self, pop: Population) -> SimpleNamespace:
        """Every account holder's record: the slots of the pool now (``slot`` = index), then the
        people who left (:meth:`retire`); attributes :data:`RETIRED_FIELDS` and ``slot``.
        """
        out = SimpleNamespace(slot=np.arange(pop.n, dtype=np.int64))
        for name in RETIRED_FIELDS:
            setattr(out, name, getattr(pop, name))
        for name, v in self.retired.items():
            setattr(out, name, np.concatenate([getattr(out, name), v]))
        return out

    def collect(self, pop: Population, arrays, blocks: list[slice], env: MonthEnv,
                map_blocks=map) -> None:
        """Reduce the arrays for month ``env.month``; burn-in months are not recorded.

        Each block is reduced on its own (``map_blocks`` may run them in threads) and the
        partial results are added in block order, so the figures do not depend on threading.
        """
        t = env.month
        if t < 0:  # burn-in: only the charge-offs, whose recoveries come in later
            self.charge_off_history.append(_charge_offs(arrays, blocks, map_blocks))
            return
        parts = list(map_blocks(lambda sl: _block_accumulators(arrays, sl, t), blocks))
        counts, sums, recv, n_bucket, roll, seg = (sum(acc) for acc in zip(*parts, strict=True))
        counts, seg = counts + self.retired_counts, seg + self.retired_seg  # people who left the pool
        recv, n_bucket = recv[:len(BUCKETS)], n_bucket[:len(BUCKETS)]  # receivables: live accounts
        c = dict(zip(_COUNTS, counts, strict=True))
        s = dict(zip(_SUMS, sums, strict=True))
        receivables = recv.sum()
        performing_start = c["n_active"] + c["new_defaults"] - c["originations"]
        prev = self.rows[-1]["receivables"] if self.rows else receivables
        avg = 0.5 * (prev + receivables)
        self.charge_off_history.append((s["charge_offs"], s["partner_charge_offs"]))
        recoveries, partner_recoveries = self.recoveries(env)
        merchant_fees = s["purchases"] * self.cfg.platform.merchant_fee_rate
        jl = self.cfg.policy.joint_lending
        partner_share = jl.partner_share if jl.enabled else 0.0
        partner_net = (s["partner_charge_offs"] - partner_recoveries) * partner_share
        row = {
            "replicate": self.replicate, "month": t, "calendar_month": env.calendar_month,
            "unemployment_rate": env.unemployment_rate, "demand_index": env.demand_index,
            "income_index": env.income_index, "essential_prices": env.essential_prices,
            "unemployed_share": np.count_nonzero(pop.unemployed) / pop.n if pop.n else NAN,
            "n_active": int(c["n_active"]), "n_defaulted": int(c["n_defaulted"]),
            "n_performing_start": int(performing_start),
            "originations": int(c["originations"]), "n_ever_opened": int(c["n_ever_opened"]),
            "n_cohort": int(c["n_cohort"]),
            "new_delinquent": int(c["n_new_delinquent"]),
            "new_defaults": int(c["new_defaults"]), "cum_defaults": int(c["cum_defaults"]),
            "default_rate": c["new_defaults"] / performing_start if performing_start else NAN,
            "cum_default_rate": c["cum_defaults"] / c["n_cohort"] if c["n_cohort"] else NAN,
            "receivables": receivables,
            **{f"recv_{b}": recv[i] for i, b in enumerate(BUCKETS)},
            **{f"n_{b}": int(n_bucket[i]) for i, b in enumerate(BUCKETS)},
            "dpd30_rate": recv[DPD31:].sum() / receivables if receivables else NAN,
            "dpd90_rate": recv[DPD91:].sum() / receivables if receivables else NAN,
            "credit_limit": s["credit_limit"],
            "utilization": s["active_receivables"] / s["credit_limit"] if s["credit_limit"] else NAN,
            "open_to_buy": s["open_to_buy"],
            "applicants": int(c["applicants"]),
            "approval_rate": c["originations"] / c["applicants"] if c["applicants"] else NAN,
            "purchases": s["purchases"], "impulse_purchases": s["impulse_purchases"],
            "constrained_purchases": s["constrained_purchases"],
            "repayments": s["repayments"], "fees": s["fees"],
            "charge_offs": s["charge_offs"], "recoveries": recoveries,
            "net_charge_offs": s["charge_offs"] - recoveries,
            "loss_rate": 12.0 * (s["charge_offs"] - recoveries) / avg if avg else NAN,
            # the cost side: what the lender earns, and who bears the losses
            "merchant_fees": merchant_fees,
            "instalment_fees": s["fees"] - s["late_fees"],
            "late_fees": s["late_fees"],
            "revenue": merchant_fees + s["fees"],
            "partner_receivables": s["partner_receivables"] * partner_share,
            "partner_net_losses": partner_net,
            "platform_net_losses": s["charge_offs"] - recoveries - partner_net,
            "n_restructured": int(c["n_restructured"]),
            "n_restructured_current": int(c["n_restructured_current"]),
            "n_restructured_defaulted": int(c["n_restructured_defaulted"]),
            "public_transfers": self.transfers,
        }
        self.transfers = 0.0
        self.rows.append(row)
        self.seg_rows.append(seg)
        self.rolls.append(roll.reshape(N_STATES, N_STATES))

    def recoveries(self, env: MonthEnv) -> tuple[float, float]:
        """This month's recoveries on past charge-offs (all accounts, partner-funded accounts).

        The recovery curve: a balance charged off in month ``c`` brings in ``recovery_rate ÷
        recovery_months`` of itself in each of the months ``c + 1 .. c + recovery_months``, scaled
        by ``(unemployment_base ÷ unemployment rate) ^ recovery_unemployment_elasticity`` of the
        month it comes in (less is collected in a downturn). Booked when it comes in.
        """
        p = self.cfg.platform
        per_month = p.recovery_rate / p.recovery_months
        scale = (self.cfg.economy.unemployment_base / env.unemployment_rate) ** p.recovery_unemployment_elasticity
        past = self.charge_off_history[-1 - p.recovery_months:-1]  # the months before this one
        return (per_month * scale * sum(c for c, _ in past),
                per_month * scale * sum(c for _, c in past))

    def timeseries(self) -> pd.DataFrame:
        """One row per month."""
        return pd.DataFrame(self.rows)

    def segments(self) -> pd.DataFrame:
        """One row per (month, segment, group)."""
        out = []
        names = [(s, g) for s, groups in SEGMENTS.items() for g in groups]
        for m, seg in enumerate(self.seg_rows):
            month = self.rows[m]["month"]
            for gi, (s, g) in enumerate(names):
                n_act, new_def, orig = seg[SEG_N_ACTIVE, gi], seg[SEG_NEW_DEFAULTS, gi], seg[SEG_ORIGINATIONS, gi]
                opened, cum, cohort = seg[SEG_N_OPENED, gi], seg[SEG_CUM_DEFAULTS, gi], seg[SEG_N_COHORT, gi]
                perf = n_act + new_def - orig
                out.append({"replicate": self.replicate, "month": month, "segment": s,
                            "group": g, "n_performing_start": int(perf),
                            "new_defaults": int(new_def),
                            "default_rate": new_def / perf if perf else NAN,
                            "n_opened": int(opened), "n_cohort": int(cohort), "cum_defaults": int(cum),
                            "cum_default_rate": cum / cohort if cohort else NAN})
        return pd.DataFrame(out)

    def roll_rates(self) -> pd.DataFrame:
        """One row per (month, from_bucket, to_bucket): accounts and share of the from-bucket."""
        out = []
        for m, roll in enumerate(self.rolls):
            month = self.rows[m]["month"]
            tot = roll.sum(axis=1)
            for i in range(len(BUCKETS)):
                for j in range(N_STATES):
                    out.append({"replicate": self.replicate, "month": month,
                                "from_bucket": ROLL_STATES[i], "to_bucket": ROLL_STATES[j],
                                "n_accounts": int(roll[i, j]),
                                "share": roll[i, j] / tot[i] if tot[i] else NAN})
        return pd.DataFrame(out)


def vintage_table(pop, months: int, replicate: int, first: int) -> pd.DataFrame:
    """Cumulative default rate by origination month (vintage) and months on book.

    Args:
        pop: the account records at the end of the run (:meth:`MonthlyRecorder.book`).
        months: reported horizon (months 0..months-1).
        replicate: replicate index for the column.
        first: first origination month to report (``-burn_in``).
    """
    om = pop.open_month.astype(np.int64)
    dm = pop.default_month.astype(np.int64)
    opened = om != NEVER
    nv = months - first
    v = om[opened] - first
    n_opened = np.bincount(v, minlength=nv)
    dflt = opened & (dm != NEVER)
    vd = om[dflt] - first
    mob = dm[dflt] - om[dflt]
    grid = np.zeros((nv, nv), dtype=np.int64)
    np.add.at(grid, (vd, mob), 1)
    cum = np.cumsum(grid, axis=1)
    columns = ["replicate", "vintage", "months_on_book", "n_opened", "cum_defaults", "cum_default_rate"]
    # one row per vintage with accounts and month on book 0 .. months - 1 - vintage (= nv - 1 - i)
    iv = np.flatnonzero(n_opened)
    if not iv.size:
        return pd.DataFrame([], columns=columns)
    length = nv - iv
    i = np.repeat(iv, length)
    mob = np.arange(int(length.sum()), dtype=np.int64) - np.repeat(np.cumsum(length) - length, length)
    n, c = n_opened[i], cum[i, mob]
    return pd.DataFrame({"replicate": np.full(len(i), replicate, dtype=np.int64), "vintage": i + first,
                         "months_on_book": mob, "n_opened": n, "cum_defaults": c, "cum_default_rate": c / n},
                        columns=columns)


def cause_table(pop: Population, replicate: int) -> pd.DataFrame:
    """One row per default since month 0, with its primary cause (C1–C5) and its weight on each
    cause (``weight_C1``..``weight_C5``, adding up to 1: the default shared equally among the
    causes of its cause set, :mod:`simulator.core.causes`).
    """
    idx = np.flatnonzero(pop.default_month >= 0)
    code = np.clip(pop.cause[idx].astype(np.intp), 1, 5) - 1
    cause = np.asarray(CAUSE_CODES)[code]
    weights = cause_weights(pop.cause_set[idx])
    return pd.DataFrame({
        "replicate": replicate,
        "borrower": idx.astype(np.int64),
        "default_month": pop.default_month[idx].astype(np.int64),
        "cause": cause,
        "cause_label": [CAUSE_LABELS[c] for c in cause],
        "income_type": np.asarray(INCOME_TYPE_NAMES)[pop.income_type[idx].astype(np.intp)],
        "thin_file": pop.thin_file[idx],
        "balance": pop.default_balance[idx].astype(np.float64),
        **{f"weight_{c}": weights[:, k] for k, c in enumerate(CAUSE_CODES)},
    })
