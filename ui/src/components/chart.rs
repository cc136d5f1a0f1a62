//! Charts drawn as inline SVG in the theme's colours (each part's colour is a CSS class), each
//! with its text equivalent for screen readers: a caption and a table of the same figures.
//! Attendance at a glance: stacked bars of marks, a student's trend beside their name, a
//! rate over time.

use yew::prelude::*;

/// The parts of a bar, bottom up, as marks are stacked (attended first): their CSS class and
/// their name.
const PARTS: [(&str, &str); 5] = [
    ("present", "Present"),
    ("late", "Late"),
    ("excused", "Excused"),
    ("absent", "Absent"),
    ("unmarked", "Not marked"),
];

/// One bar: a week or a session, its marks counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Under the bar: "2 Nov".
    pub label: String,
    /// In the text equivalent and the tooltip: "Week of Mon 2 Nov" or the session's title.
    pub detail: String,
    /// Present, late, excused, absent, not marked.
    pub counts: [i64; 5],
}

impl Bar {
    fn total(&self) -> i64 {
        self.counts.iter().sum()
    }

    /// (present + late) ÷ marks and not marked, as the reports count it.
    pub fn rate(&self) -> Option<f64> {
        let total = self.total();
        #[allow(clippy::cast_precision_loss)] // Counts of marks.
        (total > 0).then(|| (self.counts[0] + self.counts[1]) as f64 / total as f64)
    }
}

pub fn percent(rate: Option<f64>) -> String {
    rate.map(|rate| format!("{:.0}%", rate * 100.0)).unwrap_or_else(|| "—".to_owned())
}

#[derive(Properties, PartialEq)]
pub struct StackedBarsProps {
    pub bars: Vec<Bar>,
    /// What the chart shows, said first: also its accessible name.
    pub caption: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

const HEIGHT: f64 = 120.0;
const AXIS: f64 = 36.0;
const LABELS: f64 = 22.0;

/// Each bar's marks stacked to its share of the roster: present, late, excused, absent, and
/// the students not marked.
#[function_component(StackedBars)]
pub fn stacked_bars(props: &StackedBarsProps) -> Html {
    let count = props.bars.len().max(1);
    let step = (640.0 / count as f64).clamp(10.0, 80.0);
    let width = AXIS + step * count as f64 + 4.0;
    // Every label when they fit; else every n-th, so none overlap.
    let every = (count as f64 * 44.0 / (width - AXIS)).ceil().max(1.0) as usize;
    let grid = [0.0, 0.5, 1.0].map(|share| {
        let y = HEIGHT * (1.0 - share);
        html! {
            <>
                <line class="chart__grid" x1={AXIS.to_string()} x2={width.to_string()} y1={y.to_string()} y2={y.to_string()} />
                <text class="chart__axis" x={(AXIS - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">
                    { format!("{:.0}%", share * 100.0) }
                </text>
            </>
        }
    });
    let bars = props.bars.iter().enumerate().map(|(index, bar)| {
        let total = bar.total().max(1) as f64;
        let x = AXIS + step * index as f64 + step * 0.15;
        let mut bottom = HEIGHT;
        let parts = PARTS.iter().zip(bar.counts).filter(|(_, count)| *count > 0).map(|((class, _), count)| {
            let height = HEIGHT * count as f64 / total;
            bottom -= height;
            html! {
                <rect class={format!("chart__{class}")} x={x.to_string()} y={bottom.to_string()}
                    width={(step * 0.7).to_string()} height={height.to_string()} />
            }
        });
        let tooltip = format!("{}: {} attended; {}", bar.detail, percent(bar.rate()), breakdown(bar));
        html! {
            <g key={index}>
                <title>{ tooltip }</title>
                { for parts }
                if index % every == 0 {
                    <text class="chart__axis" x={(x + step * 0.35).to_string()} y={(HEIGHT + 15.0).to_string()} text-anchor="middle">
                        { &bar.label }
                    </text>
                }
            </g>
        }
    });
    html! {
        <figure class="chart" data-testid={props.testid.clone()}>
            <figcaption class="chart__caption">{ &props.caption }</figcaption>
            <svg class="chart__svg" viewBox={format!("0 0 {width} {}", HEIGHT + LABELS)} aria-hidden="true"
                preserveAspectRatio="xMinYMin meet" style={format!("max-width: {}px", width * 1.3)}>
                { for grid }
                { for bars }
            </svg>
            <Legend />
            <table class="visually-hidden">
                <caption>{ &props.caption }</caption>
                <thead><tr>
                    <th scope="col">{ "When" }</th><th scope="col">{ "Attended" }</th>
                    { for PARTS.iter().map(|(_, label)| html! { <th scope="col">{ *label }</th> }) }
                </tr></thead>
                <tbody>
                    { for props.bars.iter().map(|bar| html! {
                        <tr>
                            <th scope="row">{ &bar.detail }</th><td>{ percent(bar.rate()) }</td>
                            { for bar.counts.iter().map(|count| html! { <td>{ count }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </figure>
    }
}

fn breakdown(bar: &Bar) -> String {
    PARTS
        .iter()
        .zip(bar.counts)
        .filter(|(_, count)| *count > 0)
        .map(|((_, label), count)| format!("{count} {}", label.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The colours of the parts, named.
#[function_component(Legend)]
fn legend() -> Html {
    html! {
        <p class="chart__legend" aria-hidden="true">
            { for PARTS.iter().map(|(class, label)| html! {
                <span class="chart__key"><span class={format!("chart__swatch chart__{class}")}></span>{ *label }</span>
            }) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct SparklineProps {
    /// Rates from 0 to 1, oldest first.
    pub rates: Vec<f64>,
    /// Said instead of the line: "Rate by week: 80%, 60%, 100%".
    pub label: AttrValue,
    /// Drawn as a dashed line when given.
    #[prop_or_default]
    pub threshold: Option<f64>,
}

/// A student's trend in a line of text's height.
#[function_component(Sparkline)]
pub fn sparkline(props: &SparklineProps) -> Html {
    const WIDTH: f64 = 72.0;
    const TALL: f64 = 18.0;
    if props.rates.is_empty() {
        return html! {};
    }
    let step = if props.rates.len() > 1 { WIDTH / (props.rates.len() - 1) as f64 } else { 0.0 };
    let y = |rate: f64| 1.0 + (TALL - 2.0) * (1.0 - rate.clamp(0.0, 1.0));
    let points: Vec<(f64, f64)> =
        props.rates.iter().enumerate().map(|(index, rate)| (step * index as f64, y(*rate))).collect();
    let line = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let (last_x, last_y) = points[points.len() - 1];
    let low = props.threshold.is_some_and(|threshold| props.rates[props.rates.len() - 1] < threshold);
    html! {
        <svg class={classes!("sparkline", low.then_some("sparkline--low"))} viewBox={format!("-2 0 {} {TALL}", WIDTH + 4.0)}
            width="76" height="18" role="img" aria-label={&props.label}>
            if let Some(threshold) = props.threshold {
                <line class="sparkline__threshold" x1="0" x2={WIDTH.to_string()} y1={y(threshold).to_string()} y2={y(threshold).to_string()} />
            }
            <polyline class="sparkline__line" points={line} />
            <circle class="sparkline__dot" cx={last_x.to_string()} cy={last_y.to_string()} r="2" />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct RateLineProps {
    /// `(label, rate)` oldest first: "3 Nov", 0.85.
    pub points: Vec<(String, f64)>,
    pub caption: AttrValue,
    #[prop_or_default]
    pub threshold: Option<f64>,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

/// A rate over time, with the threshold under which a student is at risk.
#[function_component(RateLine)]
pub fn rate_line(props: &RateLineProps) -> Html {
    const WIDTH: f64 = 600.0;
    const TALL: f64 = 120.0;
    if props.points.is_empty() {
        return html! {};
    }
    let count = props.points.len();
    let step = if count > 1 { (WIDTH - AXIS - 8.0) / (count - 1) as f64 } else { 0.0 };
    let x = |index: usize| AXIS + 4.0 + step * index as f64;
    let y = |rate: f64| 6.0 + (TALL - 12.0) * (1.0 - rate.clamp(0.0, 1.0));
    let line = props
        .points
        .iter()
        .enumerate()
        .map(|(index, (_, rate))| format!("{:.1},{:.1}", x(index), y(*rate)))
        .collect::<Vec<_>>()
        .join(" ");
    let area = format!("{:.1},{TALL} {line} {:.1},{TALL}", x(0), x(count - 1));
    let every = (count as f64 / 8.0).ceil().max(1.0) as usize;
    html! {
        <figure class="chart" data-testid={props.testid.clone()}>
            <figcaption class="chart__caption">{ &props.caption }</figcaption>
            <svg class="chart__svg" viewBox={format!("0 0 {WIDTH} {}", TALL + LABELS)} aria-hidden="true" preserveAspectRatio="xMinYMin meet">
                { for [0.0, 0.5, 1.0].map(|share| html! {
                    <>
                        <line class="chart__grid" x1={AXIS.to_string()} x2={WIDTH.to_string()} y1={y(share).to_string()} y2={y(share).to_string()} />
                        <text class="chart__axis" x={(AXIS - 6.0).to_string()} y={(y(share) + 4.0).to_string()} text-anchor="end">{ format!("{:.0}%", share * 100.0) }</text>
                    </>
                }) }
                if let Some(threshold) = props.threshold {
                    <line class="chart__threshold" x1={AXIS.to_string()} x2={WIDTH.to_string()} y1={y(threshold).to_string()} y2={y(threshold).to_string()}>
                        <title>{ format!("Threshold {}", percent(Some(threshold))) }</title>
                    </line>
                }
                <polygon class="chart__area" points={area} />
                <polyline class="chart__line" points={line} />
                { for props.points.iter().enumerate().map(|(index, (label, rate))| html! {
                    <g>
                        <circle class="chart__point" cx={x(index).to_string()} cy={y(*rate).to_string()} r="3">
                            <title>{ format!("{label}: {}", percent(Some(*rate))) }</title>
                        </circle>
                        if index % every == 0 || index == count - 1 {
                            <text class="chart__axis" x={x(index).to_string()} y={(TALL + 15.0).to_string()} text-anchor="middle">{ label }</text>
                        }
                    </g>
                }) }
            </svg>
            <table class="visually-hidden">
                <caption>{ &props.caption }</caption>
                <thead><tr><th scope="col">{ "When" }</th><th scope="col">{ "Rate" }</th></tr></thead>
                <tbody>
                    { for props.points.iter().map(|(label, rate)| html! {
                        <tr><th scope="row">{ label }</th><td>{ percent(Some(*rate)) }</td></tr>
                    }) }
                </tbody>
            </table>
        </figure>
    }
}
