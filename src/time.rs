//! Dates for the history without a date library: civil-from-days arithmetic, the local zone's
//! offset from the C library (`TZ`, `/etc/localtime`), and the spellings people type
//! (`yesterday`, `2h`, `3 days ago`, `2026-11-29 14:00`).

/// Milliseconds since the epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Formats unix milliseconds as `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn format(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The date part of `format`.
pub fn day(ms: u64) -> String {
    format(ms)[..10].to_owned()
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Which clock dates are shown and read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The machine's local time (`TZ`, else `/etc/localtime`).
    Local,
    Utc,
}

impl Zone {
    /// The zone's offset from UTC at `ms`, in seconds.
    pub fn offset_secs(self, ms: u64) -> i64 {
        match self {
            Zone::Utc => 0,
            Zone::Local => {
                let t = (ms / 1000) as libc::time_t;
                // SAFETY: an all-zero `tm` is a valid value for localtime_r to fill; both
                // pointers are valid for the call.
                unsafe {
                    let mut tm: libc::tm = std::mem::zeroed();
                    if libc::localtime_r(&t, &mut tm).is_null() { 0 } else { tm.tm_gmtoff as i64 }
                }
            }
        }
    }

    /// The zone as a column header says it: `UTC`, or the local zone's abbreviation.
    pub fn label(self, ms: u64) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            Zone::Local => {
                let off = self.offset_secs(ms);
                if off == 0 {
                    return "UTC".into();
                }
                let (sign, off) = if off < 0 { ('-', -off) } else { ('+', off) };
                format!("UTC{sign}{:02}:{:02}", off / 3600, off % 3600 / 60)
            }
        }
    }
}

/// Formats unix milliseconds as `YYYY-MM-DD HH:MM:SS` in `zone`.
pub fn format_in(ms: u64, zone: Zone) -> String {
    format((ms as i64 + zone.offset_secs(ms) * 1000).max(0) as u64)
}

/// The date part of `format_in`.
pub fn day_in(ms: u64, zone: Zone) -> String {
    format_in(ms, zone)[..10].to_owned()
}

/// Parses a point in time, the ways people write one:
/// - `now`, `today` (midnight), `yesterday` (midnight the day before);
/// - a duration ago: `90m`, `12h`, `7d`, `2w`, `2h30m`, `3 days ago`, `1 hour`;
/// - `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or with `T`, in `zone` — or UTC with a trailing `Z`.
pub fn parse(s: &str, now_ms: u64, zone: Zone) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a time: try `yesterday`, `today`, `2h`, `3 days ago`, `2026-11-29` or `2026-11-29 14:00`");
    let t = s.trim().to_ascii_lowercase();
    let midnight = |ms: u64| {
        let off = zone.offset_secs(ms) * 1000;
        let local = ms as i64 + off;
        (local - local.rem_euclid(86_400_000) - off).max(0) as u64
    };
    match t.as_str() {
        "now" => return Ok(now_ms),
        "today" => return Ok(midnight(now_ms)),
        "yesterday" => return Ok(midnight(now_ms).saturating_sub(86_400_000)),
        _ => {}
    }
    if let Some(secs) = duration_secs(t.strip_suffix("ago").unwrap_or(&t)) {
        return Ok(now_ms.saturating_sub(secs.saturating_mul(1000)));
    }
    let (text, zone) = match s.trim().strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, Zone::Utc),
        None => (s.trim(), zone),
    };
    let (date, time) = text.split_once(['T', ' ']).unwrap_or((text, "00:00:00"));
    let mut dp = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) = (dp.next(), dp.next(), dp.next(), dp.next()) else { return Err(bad()) };
    if !(1..=12).contains(&m) || !(1..=days_in_month(y as i64, m)).contains(&d) {
        return Err(bad());
    }
    let tp: Vec<u32> = time.trim().split(':').map(|x| x.parse::<u32>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    let (hh, mm, ss) = match tp.as_slice() {
        [h, m] => (*h, *m, 0),
        [h, m, s] => (*h, *m, *s),
        _ => return Err(bad()),
    };
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(bad());
    }
    let days = days_from_civil(y as i64, m, d);
    if days < 0 {
        return Err(bad());
    }
    let wall = (days as u64 * 86_400 + u64::from(hh) * 3600 + u64::from(mm) * 60 + u64::from(ss)) * 1000;
    // The offset in force at that wall-clock time (taken at the wall time read as UTC, then
    // once more at the result, which settles across a daylight-saving change).
    let first = wall as i64 - zone.offset_secs(wall) * 1000;
    Ok((wall as i64 - zone.offset_secs(first.max(0) as u64) * 1000).max(0) as u64)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2h30m`, `90 m`, `3 days`, `1 hour 5 minutes` → seconds; `None` if it is not a duration.
fn duration_secs(t: &str) -> Option<u64> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len();
        let unit = &rest[..unit_len];
        let per = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 604_800,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(per)?)?;
        rest = rest[unit_len..].trim_start().trim_start_matches(',').trim_start();
    }
    Some(total)
}

/// A duration the way a person says it: `45s`, `3m 12s`, `2h 5m`, `3d 4h`.
pub fn human_duration(d: std::time::Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        3600..86_400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const NOW: u64 = 1_796_000_000_000; // 2026-11-30 00:53:20 UTC

    #[test]
    fn round_trip() {
        assert_eq!(format(0), "1970-01-01 00:00:00");
        let t = parse("2026-11-29T03:55:43Z", 0, Zone::Local).unwrap();
        assert_eq!(format(t), "2026-11-29 03:55:43");
        assert_eq!(parse("2024-02-29", 0, Zone::Utc).map(day).unwrap(), "2024-02-29");
    }

    #[rstest]
    #[case::minutes("30m", NOW - 30 * 60_000)]
    #[case::hours("2h", NOW - 2 * 3_600_000)]
    #[case::days("7d", NOW - 7 * 86_400_000)]
    #[case::weeks("2w", NOW - 14 * 86_400_000)]
    #[case::combined("2h30m", NOW - 150 * 60_000)]
    #[case::words_ago("3 days ago", NOW - 3 * 86_400_000)]
    #[case::word_singular("1 hour", NOW - 3_600_000)]
    #[case::word_mixed("1 hour 5 minutes ago", NOW - 65 * 60_000)]
    #[case::now("now", NOW)]
    #[case::today("today", 1_795_996_800_000)]
    #[case::yesterday("Yesterday", 1_795_910_400_000)]
    #[case::date("2026-11-30", 1_795_996_800_000)]
    #[case::date_time_space("2026-11-30 14:00", 1_796_047_200_000)]
    #[case::date_time_t("2026-11-30T14:00:30", 1_796_047_230_000)]
    fn parses_what_people_type(#[case] text: &str, #[case] want: u64) {
        assert_eq!(parse(text, NOW, Zone::Utc), Ok(want), "{text}");
    }

    #[rstest]
    #[case::word("tomorrowish")]
    #[case::month_13("2026-13-01")]
    #[case::feb_30("2026-02-30")]
    #[case::hour_24("2026-11-29 24:00")]
    #[case::unit("5 fortnights")]
    #[case::empty("")]
    #[case::negative("-3d")]
    #[case::overflow("99999999999999999999d")]
    fn rejects_what_is_not_a_time(#[case] text: &str) {
        let e = parse(text, NOW, Zone::Utc).unwrap_err();
        assert!(e.contains("is not a time"), "{e}");
    }

    #[test]
    fn local_zone_reads_and_shows_the_same_wall_clock() {
        // Whatever zone this machine is in, a wall-clock time read in it shows as itself.
        let t = parse("2026-07-01 12:34:56", NOW, Zone::Local).unwrap();
        assert_eq!(format_in(t, Zone::Local), "2026-07-01 12:34:56");
        assert_eq!(format_in(t, Zone::Utc), format(t));
    }
}
