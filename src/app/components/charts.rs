//! Charts drawn as plain SVG by the app (no chart library): spending by category and the balance over
//! time. Each has a text alternative, so the numbers are there for screen readers too.
//!
//! Right-to-left: in Arabic the charts are mirrored, as Arabic finance apps draw them. Category labels
//! sit on the right and bars grow to the left; time runs from right (oldest) to left (newest). The SVG
//! itself is laid out left-to-right (`direction="ltr"`) and the mirroring is done in the coordinates,
//! so `text-anchor` means the same thing in both languages.

use leptos::prelude::*;

use crate::i18n::{arg, lang, t, t_with, Lang};
use crate::model::{BalancePoint, CategoryTotal, Money};

fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency).grouped()
}

/// The insights category codes Lean's enrichment uses that have a translated label.
const KNOWN_CATEGORIES: &[&str] = &[
    "GROCERIES",
    "RESTAURANTS_DINING",
    "TRANSPORT",
    "RETAIL",
    "ENTERTAINMENT",
    "HEALTH_AND_WELLBEING",
    "TRAVEL",
    "MONEY_TRANSFER",
    "TRANSFER",
    "RENT_AND_SERVICES",
    "BILL_PAYMENTS",
    "SALARY_AND_REVENUE",
    "LOANS_AND_INVESTMENT",
    "EDUCATION",
    "OTHER",
];

/// Lean's insights categories (the codes its enrichment uses) in the reader's language; a category
/// this app does not know is data from the bank and is shown as sent, in sentence case.
pub fn category_label(category: &str) -> String {
    let code = category.trim().to_ascii_uppercase();
    if code.is_empty() {
        return String::new();
    }
    if KNOWN_CATEGORIES.contains(&code.as_str()) {
        return t(&format!("bank-category-{}", code.to_ascii_lowercase().replace('_', "-")));
    }
    // Lean's codes are ASCII; ASCII-only case keeps Unicode's case tables (24 KB) out of the wasm, and
    // any other letter is shown as sent.
    let mut text = category.trim().replace('_', " ").to_ascii_lowercase();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// Horizontal bars, largest first.
#[component]
pub fn SpendingChart(spending: Vec<CategoryTotal>, currency: String) -> impl IntoView {
    if spending.is_empty() {
        return view! { <p class="muted">{t("bank-chart-no-spending")}</p> }.into_any();
    }
    const W: f64 = 600.0;
    const ROW: f64 = 34.0;
    const LABEL_W: f64 = 170.0;
    const BAR_W: f64 = 320.0;
    let rtl = lang() == Lang::Ar;
    let max = spending.iter().map(|c| c.minor).max().unwrap_or(1).max(1) as f64;
    let height = ROW * spending.len() as f64;
    let summary = spending
        .iter()
        .map(|c| format!("{}: {} {currency}", category_label(&c.category), money(c.minor, &currency)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <svg class="chart" data-testid="spending-chart" viewBox=format!("0 0 {W} {height}") role="img"
            direction="ltr" aria-label=t_with("bank-chart-spending-label", &[("summary", arg(&summary))])>
            {spending.into_iter().enumerate().map(|(i, c)| {
                let y = i as f64 * ROW;
                let w = (c.minor as f64 / max * BAR_W).max(2.0);
                // Label, bar, value: from the left in English, from the right in Arabic.
                let (label_x, label_anchor, bar_x, value_x, value_anchor) = if rtl {
                    (W, "end", W - LABEL_W - w, W - LABEL_W - w - 8.0, "end")
                } else {
                    (0.0, "start", LABEL_W, LABEL_W + w + 8.0, "start")
                };
                view! {
                    <g>
                        <text x=label_x y=y + 21.0 text-anchor=label_anchor class="chart-label">{category_label(&c.category)}</text>
                        <rect x=bar_x y=y + 6.0 width=w height="20" rx="4" class="chart-bar"/>
                        <text x=value_x y=y + 21.0 text-anchor=value_anchor class="chart-value">{money(c.minor, &currency)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// The month of a YYYY-MM-DD date, short, in the reader's language.
fn month_name(date: &str) -> Option<String> {
    let month: u32 = date.get(5..7)?.parse().ok()?;
    (1..=12).contains(&month).then(|| t(&format!("bank-month-{month}")))
}

/// A line of end-of-day balances with its lowest and highest values marked, and the first day of
/// each month named on the time axis.
#[component]
pub fn BalanceChart(points: Vec<BalancePoint>, currency: String) -> impl IntoView {
    if points.len() < 2 {
        return view! { <p class="muted">{t("bank-chart-not-enough")}</p> }.into_any();
    }
    const W: f64 = 600.0;
    const H: f64 = 220.0;
    const PAD: f64 = 28.0;
    // Room under the axis for month names and the first and last dates.
    const AXIS: f64 = H - 2.0 * PAD;
    let rtl = lang() == Lang::Ar;
    let lo = points.iter().map(|p| p.minor).min().unwrap_or(0);
    let hi = points.iter().map(|p| p.minor).max().unwrap_or(0);
    let span = ((hi - lo) as f64).max(1.0);
    let step = (W - 2.0 * PAD) / (points.len() - 1) as f64;
    // Oldest at the start of the reading direction: left in English, right in Arabic.
    let x_of = move |i: usize| if rtl { W - PAD - i as f64 * step } else { PAD + i as f64 * step };
    // The line's top stays clear of the high and low marks written above it.
    const TOP: f64 = 26.0;
    let y_of = |v: i64| AXIS - (v - lo) as f64 / span * (AXIS - TOP);
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(i), y_of(p.minor)))
        .collect::<Vec<_>>()
        .join(" ");
    let (x_first, x_last) = (x_of(0), x_of(points.len() - 1));
    let area = format!("{x_first:.1},{AXIS:.1} {line} {x_last:.1},{AXIS:.1}");
    let (first, last) = (points[0].clone(), points[points.len() - 1].clone());
    let description = t_with(
        "bank-chart-balance-label",
        &[
            ("from", arg(&first.date)),
            ("to", arg(&last.date)),
            ("start", arg(format!("{} {currency}", money(first.minor, &currency)))),
            ("end", arg(format!("{} {currency}", money(last.minor, &currency)))),
            ("low", arg(format!("{} {currency}", money(lo, &currency)))),
            ("high", arg(format!("{} {currency}", money(hi, &currency)))),
        ],
    );
    // Month ticks on the first of each month (not at the very ends, where the dates are written).
    let ticks: Vec<(f64, String)> = points
        .iter()
        .enumerate()
        .filter(|(i, p)| p.date.ends_with("-01") && *i > 3 && *i + 4 < points.len())
        .filter_map(|(i, p)| month_name(&p.date).map(|m| (x_of(i), m)))
        .collect();
    // The start of the reading direction holds the oldest date and the high mark.
    let (start_x, start_anchor, end_x, end_anchor) =
        if rtl { (W - PAD, "end", PAD, "start") } else { (PAD, "start", W - PAD, "end") };
    let high = t_with("bank-chart-high", &[("amount", arg(format!("{} {currency}", money(hi, &currency))))]);
    let low = t_with("bank-chart-low", &[("amount", arg(format!("{} {currency}", money(lo, &currency))))]);
    view! {
        <svg class="chart" data-testid="balance-chart" viewBox=format!("0 0 {W} {H}") role="img"
            direction="ltr" aria-label=description>
            <polygon points=area class="chart-area"/>
            <line x1=PAD y1=AXIS x2=W - PAD y2=AXIS class="chart-axis"/>
            <polyline points=line class="chart-line"/>
            {ticks.into_iter().map(|(x, month)| view! {
                <g data-testid="chart-month">
                    <line x1=x y1=AXIS x2=x y2=AXIS + 5.0 class="chart-axis"/>
                    <text x=x y=AXIS + 18.0 text-anchor="middle" class="chart-label">{month}</text>
                </g>
            }).collect_view()}
            <text x=start_x y="14" text-anchor=start_anchor class="chart-value">{high}</text>
            <text x=end_x y="14" text-anchor=end_anchor class="chart-value">{low}</text>
            <text x=start_x y=H - 6.0 text-anchor=start_anchor class="chart-label" data-testid="chart-first-date">{first.date}</text>
            <text x=end_x y=H - 6.0 text-anchor=end_anchor class="chart-label" data-testid="chart-last-date">{last.date}</text>
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_values_use_the_currency_s_digits() {
        assert_eq!(money(123_456_789, "AED"), "1,234,567.89");
        assert_eq!(money(-5, "SAR"), "-0.05");
        assert_eq!(money(1_000_000, "KWD"), "1,000.000");
    }

    /// Category and month keys are built at run time, so the source scan in i18n cannot see them.
    #[test]
    fn every_category_and_month_is_translated() {
        use crate::i18n::{lookup, Lang};
        let keys = KNOWN_CATEGORIES
            .iter()
            .map(|c| format!("bank-category-{}", c.to_ascii_lowercase().replace('_', "-")))
            .chain((1..=12).map(|m| format!("bank-month-{m}")));
        for key in keys {
            for lang in Lang::ALL {
                assert_ne!(lookup(lang, &key, &[]), key, "{key} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn unknown_categories_are_shown_as_sent() {
        assert_eq!(category_label("PET_CARE"), "Pet care");
        assert_eq!(category_label(""), "");
    }
}
