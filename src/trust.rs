//! The trust root's settings (`/etc/ana/settings.toml`, root-owned, system mode): which account
//! the approval agent runs as, which group may reach its socket, and whether a software key may
//! ever count. In user mode there is no such file and the defaults of user mode apply.
//!
//! Read on the approval path only (never on the hook's allow path).

use serde::{Deserialize, Serialize};

use crate::paths::{Mode, Paths};

/// The approval agent's account that `ana install system` creates.
pub const AGENT_USER: &str = "ana";
/// The group whose members may reach the system approval agent's socket.
pub const CLIENT_GROUP: &str = "ana-users";

/// `/etc/ana/settings.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Whether an approval signed by a software key counts. For tests and demos only: a
    /// software key proves no human was there. Default: no.
    #[serde(default)]
    pub allow_software_key: bool,
    /// The approval agent's account.
    pub agent_user: String,
    pub agent_uid: u32,
    pub agent_gid: u32,
    /// The group that may connect to the socket.
    pub client_group: String,
    pub client_gid: u32,
}

/// What the trust root says, in either mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustRoot {
    /// User mode: the agent is the user; a software key counts (it is named as insecure).
    User,
    System(Settings),
}

impl TrustRoot {
    /// Reads the trust root for `paths`. In system mode a missing or malformed settings file is an
    /// error: nothing is approved until it is fixed.
    pub fn load(paths: &Paths) -> Result<TrustRoot, String> {
        match paths.mode {
            Mode::User => Ok(TrustRoot::User),
            Mode::System => {
                let file = paths.settings();
                let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                toml::from_str::<Settings>(&text).map(TrustRoot::System).map_err(|e| format!("{}: {e}", file.display()))
            }
        }
    }

    pub fn allows_software_key(&self) -> bool {
        match self {
            TrustRoot::User => true,
            TrustRoot::System(s) => s.allow_software_key,
        }
    }

    /// The uid the approval agent must run as.
    pub fn agent_uid(&self) -> u32 {
        match self {
            TrustRoot::User => crate::paths::euid(),
            TrustRoot::System(s) => s.agent_uid,
        }
    }
}

/// System mode's approval-agent account, as the security keys must be open to it; `None` in user
/// mode (the process asking is the one that opens them) or without a readable trust root.
pub fn key_account() -> Option<crate::hidraw::Account> {
    if !crate::paths::system_mode_installed() {
        return None;
    }
    match TrustRoot::load(&Paths::resolve(|_| None, Mode::System)) {
        Ok(TrustRoot::System(s)) => Some(s.key_account()),
        _ => None,
    }
}

impl Settings {
    /// The account with the groups the approval agent runs with (the client group, and its own,
    /// which the udev rule gives the keys to).
    pub fn key_account(&self) -> crate::hidraw::Account {
        crate::hidraw::Account { name: self.agent_user.clone(), uid: self.agent_uid, gids: vec![self.client_gid, self.agent_gid], key_group: self.agent_user.clone() }
    }

    pub fn to_toml(&self) -> String {
        format!(
            "# ana's trust root (written by `sudo ana install system`; root-owned).\n\
             # A software key proves no human was there: allow it for tests and demos only.\n\
             allow_software_key = {}\n\
             agent_user = {:?}\n\
             agent_uid = {}\n\
             agent_gid = {}\n\
             client_group = {:?}\n\
             client_gid = {}\n",
            self.allow_software_key, self.agent_user, self.agent_uid, self.agent_gid, self.client_group, self.client_gid
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_unknown_keys_are_refused() {
        let s = Settings { allow_software_key: true, agent_user: "ana".into(), agent_uid: 990, agent_gid: 990, client_group: "ana-users".into(), client_gid: 991 };
        assert_eq!(toml::from_str::<Settings>(&s.to_toml()).unwrap(), s);
        assert!(toml::from_str::<Settings>(&format!("{}allow_software_keys = true\n", s.to_toml())).is_err());
    }
}
