//! Dates for the history without a date library: UTC only, civil-from-days arithmetic.

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

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS][Z]` (UTC), or a duration ago (`90m`, `12h`, `7d`).
pub fn parse(s: &str, now_ms: u64) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS) or a duration ago (30m, 12h, 7d)");
    if let Some(unit) = s.chars().last().filter(|c| matches!(c, 's' | 'm' | 'h' | 'd' | 'w')) {
        if let Ok(n) = s[..s.len() - 1].parse::<u64>() {
            let secs = n * match unit {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => 604_800,
            };
            return Ok(now_ms.saturating_sub(secs * 1000));
        }
    }
    let s = s.trim_end_matches('Z');
    let (date, time) = s.split_once(['T', ' ']).unwrap_or((s, "00:00:00"));
    let mut dp = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) = (dp.next(), dp.next(), dp.next(), dp.next()) else { return Err(bad()) };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let tp: Vec<u32> = time.split(':').map(|x| x.parse::<u32>().map_err(|_| bad())).collect::<Result<_, _>>()?;
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
    Ok((days as u64 * 86_400 + u64::from(hh) * 3600 + u64::from(mm) * 60 + u64::from(ss)) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(format(0), "1970-01-01 00:00:00");
        let t = parse("2026-11-29T03:55:43Z", 0).unwrap();
        assert_eq!(format(t), "2026-11-29 03:55:43");
        assert_eq!(parse("2024-02-29", 0).map(day).unwrap(), "2024-02-29");
        assert_eq!(parse("7d", 8 * 86_400_000).unwrap(), 86_400_000);
        assert!(parse("yesterday", 0).is_err());
        assert!(parse("2026-13-01", 0).is_err());
    }
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
