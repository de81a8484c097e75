//! Charts drawn as plain SVG by the app (no chart library): spending by category and the balance over
//! time. Each has a text alternative, so the numbers are there for screen readers too.

use leptos::prelude::*;

use crate::model::{BalancePoint, CategoryTotal};

fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let whole = (minor.abs() / 100).to_string();
    // Thousands separators for reading at a glance.
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", minor.abs() % 100)
}

fn label(category: &str) -> String {
    let lower = category.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// Horizontal bars, largest first.
#[component]
pub fn SpendingChart(spending: Vec<CategoryTotal>, currency: String) -> impl IntoView {
    if spending.is_empty() {
        return view! { <p class="muted">"No spending in this period."</p> }.into_any();
    }
    const ROW: f64 = 34.0;
    const LABEL_W: f64 = 170.0;
    const BAR_W: f64 = 300.0;
    let max = spending.iter().map(|c| c.minor).max().unwrap_or(1).max(1) as f64;
    let height = ROW * spending.len() as f64;
    let summary = spending
        .iter()
        .map(|c| format!("{}: {} {currency}", label(&c.category), money(c.minor)))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <svg class="chart" data-testid="spending-chart" viewBox=format!("0 0 600 {height}") role="img"
            aria-label=format!("Spending by category: {summary}")>
            {spending.into_iter().enumerate().map(|(i, c)| {
                let y = i as f64 * ROW;
                let w = (c.minor as f64 / max * BAR_W).max(2.0);
                view! {
                    <g>
                        <text x="0" y=y + 21.0 class="chart-label">{label(&c.category)}</text>
                        <rect x=LABEL_W y=y + 6.0 width=w height="20" rx="4" class="chart-bar"/>
                        <text x=LABEL_W + w + 8.0 y=y + 21.0 class="chart-value">{money(c.minor)}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// A line of end-of-day balances with its lowest and highest values marked.
#[component]
pub fn BalanceChart(points: Vec<BalancePoint>, currency: String) -> impl IntoView {
    if points.len() < 2 {
        return view! { <p class="muted">"Not enough history to draw."</p> }.into_any();
    }
    const W: f64 = 600.0;
    const H: f64 = 200.0;
    const PAD: f64 = 28.0;
    let lo = points.iter().map(|p| p.minor).min().unwrap_or(0);
    let hi = points.iter().map(|p| p.minor).max().unwrap_or(0);
    let span = ((hi - lo) as f64).max(1.0);
    let step = (W - 2.0 * PAD) / (points.len() - 1) as f64;
    let xy = |i: usize, v: i64| (PAD + i as f64 * step, H - PAD - (v - lo) as f64 / span * (H - 2.0 * PAD));
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (x, y) = xy(i, p.minor);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let area = format!("{PAD:.1},{:.1} {line} {:.1},{:.1}", H - PAD, W - PAD, H - PAD);
    let (first, last) = (points[0].clone(), points[points.len() - 1].clone());
    let description = format!(
        "Balance from {} to {}: {} {currency} to {} {currency}; lowest {}, highest {}",
        first.date,
        last.date,
        money(first.minor),
        money(last.minor),
        money(lo),
        money(hi)
    );
    view! {
        <svg class="chart" data-testid="balance-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=description>
            <line x1=PAD y1=H - PAD x2=W - PAD y2=H - PAD class="chart-axis"/>
            <polygon points=area class="chart-area"/>
            <polyline points=line class="chart-line"/>
            <text x=PAD y="14" class="chart-value">{format!("High {} {currency}", money(hi))}</text>
            <text x=PAD y=H - 8.0 class="chart-label">{first.date}</text>
            <text x=W - PAD y=H - 8.0 text-anchor="end" class="chart-label">{last.date}</text>
            <text x=W - PAD y="14" text-anchor="end" class="chart-value">{format!("Low {} {currency}", money(lo))}</text>
        </svg>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(123_456_789), "1,234,567.89");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(100_000), "1,000.00");
    }
}
