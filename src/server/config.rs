//! Typed configuration from the environment (and `.env`), validated at start-up. Every error names
//! the variable and says how to fix it; secrets are `SecretString` so they never reach a log line.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::SecretString;

/// Which Lean the app talks to.
#[derive(Debug, Clone)]
pub enum LeanTarget {
    /// Start the bundled `lean-sandbox` on `addr` (its own origin, like Lean's).
    Embedded {
        addr: SocketAddr,
        state_path: PathBuf,
        retry_scale: f64,
        /// Optional fixed credentials for the embedded app registration (tests set them).
        app_token: Option<String>,
        client_secret: Option<SecretString>,
        webhook_secret: Option<SecretString>,
        /// `LEAN_REGION`: which of the sandbox's loaders the pages use (the KSA one lists Saudi banks).
        region: lean_sandbox::Region,
        /// `LEAN_SANDBOX_PUBLIC_URL`: where browsers reach the sandbox when a proxy of its own serves it.
        /// Unset with `PUBLIC_URL` set, the app serves it through its own origin (see `sandbox_proxy`).
        public_url: Option<String>,
    },
    /// A Lean reached over the network: the real sandbox, production, or a standalone lean-sandbox.
    Remote(RemoteLean),
}

#[derive(Debug, Clone)]
pub struct RemoteLean {
    pub env_name: String,
    pub api_url: String,
    pub auth_url: String,
    pub loader_url: String,
    pub sandbox: bool,
    pub app_token: String,
    pub client_secret: SecretString,
    pub webhook_secret: SecretString,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub site_root: String,
    /// The URL Lean should POST webhooks to; defaults to this server's own `/webhooks/lean`.
    pub public_url: Option<String>,
    pub lean: LeanTarget,
    /// Set `Secure` on every cookie for every response: PUBLIC_URL is https, or LEAN_ENV is production.
    /// (Over https through a trusted proxy they are `Secure` anyway: see `security::client`.)
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (TRUSTED_PROXIES).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Which of Lean's published CSP directive sets pages use with real Lean (LEAN_CSP).
    pub csp_mode: super::security::CspMode,
    /// Users (by email, lower case) who may open `/diagnostics`.
    pub admin_emails: Vec<String>,
    /// The bearer token a scraper shows for `/metrics`; without one, only this machine may read it.
    pub metrics_token: Option<secrecy::SecretString>,
    /// The Link SDK's `customization` object (LEAN_SDK_* variables).
    pub sdk_customization: std::collections::BTreeMap<String, String>,
    /// The merchant's name and logo in Lean's screens (`destination_alias`, `destination_avatar`;
    /// LEAN_DESTINATION_ALIAS, LEAN_DESTINATION_AVATAR).
    pub destination_alias: Option<String>,
    pub destination_avatar: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { var, message: message.into() }
}

/// Reads variables through a lookup function so tests can pass a map instead of the process env.
pub struct Vars<F: Fn(&str) -> Option<String>>(pub F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn addr(&self, name: &'static str, default: &str) -> Result<SocketAddr, ConfigError> {
        let raw = self.get(name).unwrap_or_else(|| default.to_owned());
        raw.parse().map_err(|_| err(name, format!("'{raw}' is not an address like 127.0.0.1:3000")))
    }

    fn url(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.starts_with("http://") || v.starts_with("https://") => {
                Ok(Some(v.trim_end_matches('/').to_owned()))
            }
            Some(v) => Err(err(name, format!("'{v}' must start with http:// or https://"))),
        }
    }

    fn required(&self, name: &'static str, why: &str) -> Result<String, ConfigError> {
        self.get(name).ok_or_else(|| err(name, format!("is required {why}")))
    }
}

impl Config {
    /// This app's own address as Lean must reach it.
    pub fn base_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.addr))
    }

    pub fn lean_env_name(&self) -> &str {
        match &self.lean {
            LeanTarget::Embedded { .. } => "embedded",
            LeanTarget::Remote(r) => &r.env_name,
        }
    }

    /// Loads `.env` (if present) and then reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        // A missing .env is normal; a malformed one is not silently ignored.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(err(".env", format!("could not be read: {e}"))),
        }
        Config::from_vars(Vars(|k| std::env::var(k).ok()))
    }

    pub fn from_vars<F: Fn(&str) -> Option<String>>(v: Vars<F>) -> Result<Config, ConfigError> {
        let addr = v.addr("LEPTOS_SITE_ADDR", "127.0.0.1:3000")?;
        let data_dir = PathBuf::from(v.get("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match v.get("DATABASE_URL") {
            Some(u)
                if u.starts_with("sqlite:")
                    || u.starts_with("postgres://")
                    || u.starts_with("postgresql://") =>
            {
                u
            }
            Some(u) => {
                return Err(err("DATABASE_URL", format!("'{u}' must start with sqlite: or postgres://")))
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("lean-merchant.db").display()),
        };
        let site_root = v.get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let public_url = v.url("PUBLIC_URL")?;
        let env_name = v.get("LEAN_ENV").unwrap_or_else(|| "embedded".into());
        let secure_cookies =
            env_name == "production" || public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
        let mut trusted_proxies = Vec::new();
        for raw in v.get("TRUSTED_PROXIES").unwrap_or_default().split(',').map(str::trim) {
            if raw.is_empty() {
                continue;
            }
            trusted_proxies.push(raw.parse().map_err(|_| {
                err("TRUSTED_PROXIES", format!("'{raw}' is not an IP address (list the proxies' addresses)"))
            })?);
        }
        let csp_mode = match v.get("LEAN_CSP") {
            None => super::security::CspMode::default(),
            Some(raw) => super::security::CspMode::parse(&raw)
                .ok_or_else(|| err("LEAN_CSP", format!("'{raw}' must be relaxed or strict")))?,
        };
        let lean = match env_name.as_str() {
            "embedded" => {
                let retry_scale = match v.get("LEAN_SANDBOX_RETRY_SCALE") {
                    None => 1.0,
                    Some(s) => {
                        s.parse::<f64>().ok().filter(|f| f.is_finite() && *f >= 0.0).ok_or_else(|| {
                            err("LEAN_SANDBOX_RETRY_SCALE", format!("'{s}' is not a number >= 0"))
                        })?
                    }
                };
                let region = v.get("LEAN_REGION").unwrap_or_else(|| "ae".into());
                let region = lean_sandbox::Region::parse(&region)
                    .ok_or_else(|| err("LEAN_REGION", format!("'{region}' must be ae or sa")))?;
                LeanTarget::Embedded {
                    region,
                    public_url: v.url("LEAN_SANDBOX_PUBLIC_URL")?,
                    addr: v.addr("LEAN_SANDBOX_ADDR", "127.0.0.1:4010")?,
                    state_path: data_dir.join("sandbox.json"),
                    retry_scale,
                    app_token: v.get("LEAN_APP_TOKEN"),
                    client_secret: v.get("LEAN_CLIENT_SECRET").map(SecretString::from),
                    webhook_secret: v.get("LEAN_WEBHOOK_SECRET").map(SecretString::from),
                }
            }
            "sandbox" | "production" => {
                let region = v.get("LEAN_REGION").unwrap_or_else(|| "ae".into());
                let (api, auth, link_region) = match (env_name.as_str(), region.as_str()) {
                    ("sandbox", "ae") => {
                        ("https://sandbox.leantech.me", "https://auth.sandbox.leantech.me", "ae")
                    }
                    ("sandbox", "sa") => {
                        ("https://sandbox.sa.leantech.me", "https://auth.sandbox.sa.leantech.me", "sa")
                    }
                    ("production", "ae") => ("https://api2.leantech.me", "https://auth.leantech.me", "ae"),
                    ("production", "sa") => {
                        ("https://api2.sa.leantech.me", "https://auth.sa.leantech.me", "sa")
                    }
                    _ => return Err(err("LEAN_REGION", format!("'{region}' must be ae or sa"))),
                };
                let why = "when LEAN_ENV is sandbox or production (copy it from Lean's dashboard)";
                LeanTarget::Remote(RemoteLean {
                    api_url: v.url("LEAN_API_URL")?.unwrap_or_else(|| api.into()),
                    auth_url: v.url("LEAN_AUTH_URL")?.unwrap_or_else(|| auth.into()),
                    loader_url: v.url("LEAN_LINK_LOADER_URL")?.unwrap_or_else(|| {
                        format!("https://cdn.leantech.me/link/loader/prod/{link_region}/latest/lean-link-loader.min.js")
                    }),
                    sandbox: env_name == "sandbox",
                    env_name,
                    app_token: v.required("LEAN_APP_TOKEN", why)?,
                    client_secret: SecretString::from(v.required("LEAN_CLIENT_SECRET", why)?),
                    webhook_secret: SecretString::from(v.required("LEAN_WEBHOOK_SECRET", why)?),
                })
            }
            other => {
                return Err(err("LEAN_ENV", format!("'{other}' must be embedded, sandbox or production")))
            }
        };

        let mut admin_emails = Vec::new();
        for email in v.get("ADMIN_EMAILS").unwrap_or_default().split(',').map(|e| e.trim().to_lowercase()) {
            if email.is_empty() {
                continue;
            }
            if !email.contains('@') {
                return Err(err("ADMIN_EMAILS", format!("'{email}' is not an email address")));
            }
            admin_emails.push(email);
        }

        let sdk_customization = super::sdk_look::from_vars(|k| v.get(k))?;
        let metrics_token = match v.get("METRICS_TOKEN").map(|t| t.trim().to_owned()) {
            Some(t) if t.len() >= 16 => Some(secrecy::SecretString::from(t)),
            Some(t) if !t.is_empty() => return Err(err("METRICS_TOKEN", "must be at least 16 characters")),
            _ => None,
        };

        let destination_alias = match v.get("LEAN_DESTINATION_ALIAS").map(|a| a.trim().to_owned()) {
            Some(a) if a.chars().count() > 100 || a.chars().any(char::is_control) => {
                return Err(err("LEAN_DESTINATION_ALIAS", "must be a name of at most 100 characters"))
            }
            Some(a) if !a.is_empty() => Some(a),
            _ => None,
        };
        let destination_avatar = match v.get("LEAN_DESTINATION_AVATAR").map(|a| a.trim().to_owned()) {
            Some(a) if a.is_empty() => None,
            Some(a) => match reqwest::Url::parse(&a) {
                Ok(u) if matches!(u.scheme(), "https" | "http") && a.len() <= 500 => Some(a),
                _ => return Err(err("LEAN_DESTINATION_AVATAR", "must be the http(s) address of an image")),
            },
            None => None,
        };

        Ok(Config {
            addr,
            database_url,
            data_dir,
            site_root,
            public_url,
            lean,
            secure_cookies,
            trusted_proxies,
            csp_mode,
            admin_emails,
            metrics_token,
            sdk_customization,
            destination_alias,
            destination_avatar,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_vars(Vars(move |k| map.get(k).cloned()))
    }

    #[test]
    fn nothing_required_by_default() {
        let c = config(&[]).expect("defaults are valid");
        assert!(matches!(c.lean, LeanTarget::Embedded { .. }));
        assert!(c.database_url.starts_with("sqlite://data/"));
    }

    #[test]
    fn errors_name_the_variable() {
        assert_eq!(config(&[("LEAN_ENV", "staging")]).unwrap_err().var, "LEAN_ENV");
        assert_eq!(config(&[("LEPTOS_SITE_ADDR", "nope")]).unwrap_err().var, "LEPTOS_SITE_ADDR");
        assert_eq!(config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var, "DATABASE_URL");
        assert_eq!(config(&[("LEAN_ENV", "sandbox")]).unwrap_err().var, "LEAN_APP_TOKEN");
        assert_eq!(config(&[("ADMIN_EMAILS", "ann@example.com, bob")]).unwrap_err().var, "ADMIN_EMAILS");
        assert_eq!(config(&[("TRUSTED_PROXIES", "10.0.0.1, proxy")]).unwrap_err().var, "TRUSTED_PROXIES");
        assert_eq!(config(&[("LEAN_CSP", "loose")]).unwrap_err().var, "LEAN_CSP");
        assert_eq!(
            config(&[("LEAN_SANDBOX_RETRY_SCALE", "-1")]).unwrap_err().var,
            "LEAN_SANDBOX_RETRY_SCALE"
        );
    }

    #[test]
    fn cookies_are_secure_over_https_and_always_in_production() {
        assert!(!config(&[]).unwrap().secure_cookies);
        assert!(config(&[("PUBLIC_URL", "https://shop.example")]).unwrap().secure_cookies);
        let production = config(&[
            ("LEAN_ENV", "production"),
            ("LEAN_APP_TOKEN", "a"),
            ("LEAN_CLIENT_SECRET", "b"),
            ("LEAN_WEBHOOK_SECRET", "c"),
            ("PUBLIC_URL", "http://10.0.0.5:3000"),
        ])
        .unwrap();
        assert!(production.secure_cookies);
        let proxies = config(&[("TRUSTED_PROXIES", "10.0.0.1, ::1")]).unwrap().trusted_proxies;
        assert_eq!(proxies.len(), 2);
    }

    #[test]
    fn real_lean_hosts_follow_env_and_region() {
        let c = config(&[
            ("LEAN_ENV", "sandbox"),
            ("LEAN_REGION", "sa"),
            ("LEAN_APP_TOKEN", "a"),
            ("LEAN_CLIENT_SECRET", "b"),
            ("LEAN_WEBHOOK_SECRET", "c"),
        ])
        .expect("valid");
        let LeanTarget::Remote(r) = c.lean else { panic!("remote expected") };
        assert_eq!(r.api_url, "https://sandbox.sa.leantech.me");
        assert_eq!(r.auth_url, "https://auth.sandbox.sa.leantech.me");
        assert!(r.loader_url.contains("/prod/sa/"));
    }

    #[test]
    fn the_embedded_sandbox_takes_the_region_too() {
        let region = |vars: &[(&str, &str)]| match config(vars).expect("valid").lean {
            LeanTarget::Embedded { region, .. } => region,
            LeanTarget::Remote(_) => panic!("embedded expected"),
        };
        assert_eq!(region(&[]), lean_sandbox::Region::Uae);
        assert_eq!(region(&[("LEAN_REGION", "sa")]), lean_sandbox::Region::Ksa);
        assert_eq!(config(&[("LEAN_REGION", "ksa")]).unwrap_err().var, "LEAN_REGION");
    }
}
