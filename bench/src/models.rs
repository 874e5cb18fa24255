//! The generated models' JSON against serde's derive: decode and encode throughput of a large
//! page of a vendored area's list example, read into the generated types (the Core area of
//! the fixture crate of areas, `tests/fixtures/areas-crate`) and into derived twins of the
//! same schemas (below: the same fields, types and wire names, `#[derive(Serialize,
//! Deserialize)]`), with the allocations per decoded item.
//!
//! A page is the `value` of a list example of Microsoft's Core description
//! (`xtask/tests/data/azure-devops-specs/core/7.1/httpExamples/`), its items repeated until
//! the page holds [`PAGE_BYTES`], as compact JSON. A pass decodes the page into one side and
//! encodes the decoded page again; a round is a pass of each side in both orders (ABBA), so
//! that drift in the machine's load, and whatever the first pass leaves the second (the
//! allocator's free lists, caches), fall on both alike. The ratio of a round is generated /
//! derived time, summed over its two passes each; a row's ratio is the median of its rounds'.
//!
//! The derived twins are the fastest derive can be: their enums read a value they do not
//! list into a unit variant (`#[serde(other)]`), where the generated enums keep its text (an
//! allocation the twin does not make).

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::stats::median;

/// How large a page is.
pub const PAGE_BYTES: usize = 8 * 1024 * 1024;

const EXAMPLES: &str = "xtask/tests/data/azure-devops-specs/core/7.1/httpExamples";

/// The derived twins of the generated models the pages decode into.
mod twin {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    /// `ProjectInfo`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ProjectInfo {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub abbreviation: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<uuid::Uuid>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub last_update_time: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub properties: Option<Vec<ProjectProperty>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub revision: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<ProjectState>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uri: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub version: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub visibility: Option<ProjectVisibility>,
    }

    /// `ProjectProperty`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ProjectProperty {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub value: Option<serde_json::Value>,
    }

    /// `ProjectState`
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub enum ProjectState {
        Deleting,
        New,
        WellFormed,
        CreatePending,
        All,
        Unchanged,
        Deleted,
        #[serde(other)]
        Other,
    }

    /// `ProjectVisibility`
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub enum ProjectVisibility {
        Private,
        Public,
        #[serde(other)]
        Other,
    }

    /// `TeamMember`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct TeamMember {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub identity: Option<IdentityRef>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub is_team_admin: Option<bool>,
    }

    /// `IdentityRef`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct IdentityRef {
        #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
        pub links: Option<ReferenceLinks>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub descriptor: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub directory_alias: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub image_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub inactive: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub is_aad_identity: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub is_container: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub is_deleted_in_origin: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub profile_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unique_name: Option<String>,
    }

    /// `ReferenceLinks`
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ReferenceLinks {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub links: Option<BTreeMap<String, serde_json::Value>>,
    }
}

/// One page: its name, the example it repeats and the JSON text.
pub struct Page {
    pub label: &'static str,
    pub example: &'static str,
    pub items: usize,
    pub json: Vec<u8>,
}

/// The pages measured: the Core area's project history (`ProjectInfo`: ids, dates, enums,
/// `null`s, numbers) and a team's members (`TeamMember`: a nested `IdentityRef`).
pub fn pages(root: &Path) -> Result<Vec<Page>, String> {
    let page = |label, example| -> Result<Page, String> {
        let path = root.join(EXAMPLES).join(example);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let example_json: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        let items = example_json
            .pointer("/responses/200/body/value")
            .and_then(Value::as_array)
            .filter(|items| !items.is_empty())
            .ok_or_else(|| format!("{} has no list in its 200 response", path.display()))?;
        let (json, count) = repeated(items, PAGE_BYTES);
        Ok(Page {
            label,
            example,
            items: count,
            json,
        })
    };
    Ok(vec![
        page(
            "ProjectInfo (project history)",
            "projecthistory/LIST__ProjectHistory_minrevision_.json",
        )?,
        page(
            "TeamMember (team members)",
            "members/GET__projects__projectId__teams__teamId__members4.1_.json",
        )?,
    ])
}

/// `items` repeated in a JSON array of at least `bytes` bytes: the text and its item count.
fn repeated(items: &[Value], bytes: usize) -> (Vec<u8>, usize) {
    let texts: Vec<Vec<u8>> = items
        .iter()
        .map(|item| serde_json::to_vec(item).unwrap_or_default())
        .collect();
    let mut json = Vec::with_capacity(bytes + 4096);
    json.push(b'[');
    let mut count = 0;
    while json.len() < bytes {
        if count > 0 {
            json.push(b',');
        }
        json.extend_from_slice(&texts[count % texts.len()]);
        count += 1;
    }
    json.push(b']');
    (json, count)
}

/// One page's figures: generated against derived.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: &'static str,
    pub example: &'static str,
    pub bytes: usize,
    pub items: usize,
    pub rounds: usize,
    /// Median seconds of a pass (two per round and side): decode and encode, generated and
    /// derived.
    pub decode: (f64, f64),
    pub encode: (f64, f64),
    /// Median over rounds of generated / derived time.
    pub decode_ratio: f64,
    pub encode_ratio: f64,
    /// Allocation calls and bytes per decoded item: generated, derived.
    pub allocs: ((f64, f64), (f64, f64)),
}

impl Row {
    /// MB/s of a pass of `seconds` over the page.
    pub fn mb_per_s(&self, seconds: f64) -> f64 {
        self.bytes as f64 / 1e6 / seconds
    }
}

/// Decodes and encodes every page in `rounds` rounds (after one warm-up round).
pub fn measure(root: &Path, rounds: usize) -> Result<Vec<Row>, String> {
    let pages = pages(root)?;
    let mut rows = Vec::new();
    for page in &pages {
        let row = match page.label {
            l if l.starts_with("ProjectInfo") => compare::<
                fixture_areas::core_area::models::ProjectInfo,
                twin::ProjectInfo,
            >(page, rounds)?,
            _ => compare::<fixture_areas::core_area::models::TeamMember, twin::TeamMember>(
                page, rounds,
            )?,
        };
        rows.push(row);
    }
    Ok(rows)
}

/// Times both sides on `page`: `G` generated, `T` its derived twin.
fn compare<G, T>(page: &Page, rounds: usize) -> Result<Row, String>
where
    G: DeserializeOwned + Serialize,
    T: DeserializeOwned + Serialize,
{
    // Both must read the page, and the generated models write it again as it was (but for
    // `null` properties, which read as unset and are left out).
    let generated: Vec<G> = serde_json::from_slice(&page.json)
        .map_err(|e| format!("{}: the generated models do not decode: {e}", page.label))?;
    let _: Vec<T> = serde_json::from_slice(&page.json)
        .map_err(|e| format!("{}: the derived twins do not decode: {e}", page.label))?;
    let again: Value = serde_json::to_value(&generated).map_err(|e| e.to_string())?;
    let mut original: Value = serde_json::from_slice(&page.json).map_err(|e| e.to_string())?;
    without_nulls(&mut original);
    if again != original {
        return Err(format!(
            "{}: the generated models do not write the page again as it was",
            page.label
        ));
    }
    drop((again, original, generated));

    let allocs = (
        allocations::<G>(&page.json, page.items),
        allocations::<T>(&page.json, page.items),
    );

    let (mut decode, mut encode) = ((vec![], vec![]), (vec![], vec![]));
    let (mut decode_ratios, mut encode_ratios) = (vec![], vec![]);
    let s = Duration::as_secs_f64;
    for round in 0..=rounds {
        // Each round runs both sides in both orders (ABBA): whichever goes second finds
        // the allocator and caches as the first left them, and the ratio of the round's
        // sums cancels that out.
        let (g1d, g1e) = pass::<G>(&page.json);
        let (t1d, t1e) = pass::<T>(&page.json);
        let (t2d, t2e) = pass::<T>(&page.json);
        let (g2d, g2e) = pass::<G>(&page.json);
        // Round 0 warms caches and the allocator.
        if round == 0 {
            continue;
        }
        decode.0.extend([s(&g1d), s(&g2d)]);
        decode.1.extend([s(&t1d), s(&t2d)]);
        encode.0.extend([s(&g1e), s(&g2e)]);
        encode.1.extend([s(&t1e), s(&t2e)]);
        decode_ratios.push((s(&g1d) + s(&g2d)) / (s(&t1d) + s(&t2d)));
        encode_ratios.push((s(&g1e) + s(&g2e)) / (s(&t1e) + s(&t2e)));
    }
    Ok(Row {
        label: page.label,
        example: page.example,
        bytes: page.json.len(),
        items: page.items,
        rounds,
        decode: (median(&decode.0), median(&decode.1)),
        encode: (median(&encode.0), median(&encode.1)),
        decode_ratio: median(&decode_ratios),
        encode_ratio: median(&encode_ratios),
        allocs,
    })
}

/// `value` without its `null` properties, at any depth.
fn without_nulls(value: &mut Value) {
    match value {
        Value::Object(properties) => {
            properties.retain(|_, v| !v.is_null());
            properties.values_mut().for_each(without_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(without_nulls),
        _ => {}
    }
}

/// One decode of the page into `Vec<M>` and one encode of the result: their times.
fn pass<M: DeserializeOwned + Serialize>(json: &[u8]) -> (Duration, Duration) {
    let start = Instant::now();
    let decoded: Vec<M> = serde_json::from_slice(json).expect("decoded once already");
    let decode = start.elapsed();
    let start = Instant::now();
    let encoded = serde_json::to_vec(&decoded).expect("encoded once already");
    let encode = start.elapsed();
    std::hint::black_box(encoded);
    drop(decoded);
    (decode, encode)
}

/// Allocation calls and bytes of one decode of the page, per item.
fn allocations<M: DeserializeOwned>(json: &[u8], items: usize) -> (f64, f64) {
    let counting = crate::alloc::Counting::start();
    let decoded: Result<Vec<M>, _> = serde_json::from_slice(json);
    let counts = counting.stop();
    drop(decoded);
    let n = items.max(1) as f64;
    (counts.calls as f64 / n, counts.bytes as f64 / n)
}

/// `bench models-loop (generated | derived) (decode | encode) PAGE N`: `N` passes of one
/// side over page `PAGE` (0: project history, 1: team members), untimed, for instruction
/// counts that do not move with the machine's load (see `instructions.rs`).
pub fn models_loop(root: &Path, args: &[String]) -> Result<(), String> {
    let usage = "usage: bench models-loop (generated | derived) (decode | encode) PAGE N";
    let [side, op, page, n] = args else {
        return Err(usage.into());
    };
    let page: usize = page.parse().map_err(|_| usage.to_owned())?;
    let n: usize = n.parse().map_err(|_| usage.to_owned())?;
    let pages = pages(root)?;
    let page = pages.get(page).ok_or_else(|| usage.to_owned())?;
    let encode = match op.as_str() {
        "decode" => false,
        "encode" => true,
        _ => return Err(usage.into()),
    };
    use fixture_areas::core_area::models as generated;
    match (side.as_str(), page.label.starts_with("ProjectInfo")) {
        ("generated", true) => passes::<generated::ProjectInfo>(&page.json, encode, n),
        ("generated", false) => passes::<generated::TeamMember>(&page.json, encode, n),
        ("derived", true) => passes::<twin::ProjectInfo>(&page.json, encode, n),
        ("derived", false) => passes::<twin::TeamMember>(&page.json, encode, n),
        _ => return Err(usage.into()),
    }
    Ok(())
}

/// `n` decodes of `json`, or one decode and `n` encodes.
fn passes<M: DeserializeOwned + Serialize>(json: &[u8], encode: bool, n: usize) {
    if encode {
        let decoded: Vec<M> = serde_json::from_slice(json).expect("the page decodes");
        let mut out = Vec::with_capacity(json.len() * 2);
        for _ in 0..n {
            out.clear();
            serde_json::to_writer(&mut out, &decoded).expect("the page encodes");
            std::hint::black_box(&out);
        }
    } else {
        for _ in 0..n {
            let decoded: Vec<M> = serde_json::from_slice(json).expect("the page decodes");
            std::hint::black_box(decoded);
        }
    }
}

/// `bench models [--rounds R]`: the rows alone, as a table.
pub fn command(root: &Path, args: &[String]) -> std::process::ExitCode {
    let rounds = match args {
        [] => 15,
        [flag, n] if flag == "--rounds" => match n.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("error: --rounds needs a number, not {n:?}");
                return std::process::ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("error: unexpected arguments {args:?}");
            return std::process::ExitCode::from(2);
        }
    };
    match measure(root, rounds) {
        Ok(rows) => {
            let mut table =
                String::from("| measure | median | target | met |\n|---|---|---|---|\n");
            for r in crate::report::models_rows(&Ok(rows)) {
                table.push_str(&format!("| {} |\n", r.join(" | ")));
            }
            println!("{table}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Whether a derived twin and its generated model are the same schema: a twin's page decoded
/// and encoded again is the generated model's, but for values the twin's enums do not list.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twins_read_the_pages_as_the_generated_models_do() {
        let root = crate::workspace_root();
        for page in pages(&root).unwrap() {
            // The example's items, once each.
            let items: Vec<Value> = serde_json::from_slice(&page.json).unwrap();
            let page = Page {
                json: serde_json::to_vec(&items[..3]).unwrap(),
                ..page
            };
            let (generated, twin) = if page.label.starts_with("ProjectInfo") {
                (
                    serde_json::to_value(
                        serde_json::from_slice::<Vec<fixture_areas::core_area::models::ProjectInfo>>(
                            &page.json,
                        )
                        .unwrap(),
                    ),
                    serde_json::to_value(
                        serde_json::from_slice::<Vec<twin::ProjectInfo>>(&page.json).unwrap(),
                    ),
                )
            } else {
                (
                    serde_json::to_value(
                        serde_json::from_slice::<Vec<fixture_areas::core_area::models::TeamMember>>(
                            &page.json,
                        )
                        .unwrap(),
                    ),
                    serde_json::to_value(
                        serde_json::from_slice::<Vec<twin::TeamMember>>(&page.json).unwrap(),
                    ),
                )
            };
            let (mut generated, twin) = (generated.unwrap(), twin.unwrap());
            // The example's visibility, `organization`, is a value the spec does not list.
            for item in generated.as_array_mut().unwrap() {
                if item.get("visibility").is_some() {
                    item["visibility"] = Value::from("other");
                }
            }
            assert_eq!(generated, twin, "{}", page.label);
        }
    }
}
