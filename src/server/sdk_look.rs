//! The Link SDK's `customization` (REFERENCE §9.4) from `LEAN_SDK_*` variables, checked at start-up
//! so a typo is a clear configuration error instead of a dialog that silently ignores it.

use std::collections::BTreeMap;

use super::config::ConfigError;

/// How a field's value is checked.
#[derive(Clone, Copy)]
enum Kind {
    Colour,
    Background,
    Radius,
    OneOf(&'static [&'static str]),
}

/// Lean's web fields, each read from `LEAN_SDK_<FIELD IN CAPITALS>`.
const FIELDS: &[(&str, &str, Kind)] = &[
    ("theme_color", "LEAN_SDK_THEME_COLOR", Kind::Colour),
    ("theme_color_dark", "LEAN_SDK_THEME_COLOR_DARK", Kind::Colour),
    ("button_text_color", "LEAN_SDK_BUTTON_TEXT_COLOR", Kind::Colour),
    ("button_text_color_dark", "LEAN_SDK_BUTTON_TEXT_COLOR_DARK", Kind::Colour),
    ("link_color", "LEAN_SDK_LINK_COLOR", Kind::Colour),
    ("overlay_color", "LEAN_SDK_OVERLAY_COLOR", Kind::Colour),
    ("button_border_radius", "LEAN_SDK_BUTTON_BORDER_RADIUS", Kind::Radius),
    ("dialog_mode", "LEAN_SDK_DIALOG_MODE", Kind::OneOf(&["contained", "uncontained"])),
    ("dialog_background_color_light", "LEAN_SDK_DIALOG_BACKGROUND_COLOR_LIGHT", Kind::Background),
    ("dialog_background_color_dark", "LEAN_SDK_DIALOG_BACKGROUND_COLOR_DARK", Kind::Background),
    ("force_appearance", "LEAN_SDK_FORCE_APPEARANCE", Kind::OneOf(&["light", "dark"])),
];

/// The app's own green, so the Lean dialog looks like part of the app unless configured otherwise.
const DEFAULT_THEME: &str = "#0b6e4f";

pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut out = BTreeMap::new();
    for (field, var, kind) in FIELDS {
        let Some(value) = get(var) else { continue };
        if !valid(*kind, &value) {
            return Err(ConfigError { var, message: format!("'{value}' is not {}", expected(*kind)) });
        }
        out.insert((*field).to_owned(), value);
    }
    out.entry("theme_color".to_owned()).or_insert_with(|| DEFAULT_THEME.to_owned());
    Ok(out)
}

fn valid(kind: Kind, value: &str) -> bool {
    match kind {
        Kind::Colour => is_colour(value),
        Kind::Background => is_colour(value) || is_call(value, "linear-gradient("),
        Kind::Radius => value == "pill" || value.parse::<u16>().is_ok(),
        Kind::OneOf(allowed) => allowed.contains(&value),
    }
}

fn expected(kind: Kind) -> String {
    match kind {
        Kind::Colour => "a colour like #0f766e, rgb(15, 118, 110) or teal".into(),
        Kind::Background => "a colour or a linear-gradient(...)".into(),
        Kind::Radius => "a number of pixels or pill".into(),
        Kind::OneOf(allowed) => format!("one of {}", allowed.join(", ")),
    }
}

fn is_colour(v: &str) -> bool {
    let hex = v
        .strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit()));
    let name = !v.is_empty() && v.len() <= 30 && v.chars().all(|c| c.is_ascii_alphabetic());
    hex || name || is_call(v, "rgb(") || is_call(v, "rgba(")
}

/// `name(...)` with nothing that could end a CSS value or escape it.
fn is_call(v: &str, name: &str) -> bool {
    v.starts_with(name)
        && v.ends_with(')')
        && v.len() <= 200
        && v.chars().all(|c| c.is_ascii_alphanumeric() || " #(),.%-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn defaults_to_the_app_colour() {
        let c = from_vars(vars(&[])).unwrap();
        assert_eq!(c.get("theme_color").map(String::as_str), Some(DEFAULT_THEME));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn reads_and_checks_each_field() {
        let c = from_vars(vars(&[
            ("LEAN_SDK_THEME_COLOR", "#FF0000"),
            ("LEAN_SDK_BUTTON_BORDER_RADIUS", "pill"),
            ("LEAN_SDK_DIALOG_BACKGROUND_COLOR_LIGHT", "linear-gradient(90deg, #fff, #eee)"),
            ("LEAN_SDK_FORCE_APPEARANCE", "dark"),
        ]))
        .unwrap();
        assert_eq!(c["theme_color"], "#FF0000");
        assert_eq!(c["button_border_radius"], "pill");
        assert_eq!(c["force_appearance"], "dark");

        for (var, bad) in [
            ("LEAN_SDK_THEME_COLOR", "#12"),
            ("LEAN_SDK_LINK_COLOR", "red; background: url(x)"),
            ("LEAN_SDK_BUTTON_BORDER_RADIUS", "round"),
            ("LEAN_SDK_DIALOG_MODE", "modal"),
            ("LEAN_SDK_FORCE_APPEARANCE", "dim"),
        ] {
            let e = from_vars(vars(&[(var, bad)])).unwrap_err();
            assert_eq!(e.var, var);
        }
    }
}
