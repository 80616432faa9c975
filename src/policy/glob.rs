//! A small glob matcher: `*`, `**` (paths), `?`, `[abc]`, `{a,b}`.
//!
//! A pattern is compiled once into a [`Glob`] (at build time for the built-in packs, when a policy
//! file is compiled for the others): what can be known of it before any text is seen — its literal
//! prefix and suffix, its longest literal run, whether it has a wildcard at all — is worked out
//! then, so a try that cannot match is rejected in a few comparisons. Matching walks the pattern
//! directly; nothing is allocated except to expand `{a,b}`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A compiled glob pattern. Built by the `const fn` [`Glob::new`], so static tables hold it ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glob<'a> {
    pub text: &'a str,
    /// The first byte, when it is literal (most tries fail on it).
    first: Option<u8>,
    /// No wildcard at all: matching is comparing.
    literal: bool,
    /// Has `{`: alternatives are expanded when matched, and the cheap checks below do not apply.
    brace: bool,
    /// The literal text before the first wildcard, which must start the text.
    prefix: &'a str,
    /// The literal text after the last wildcard, which must end the text unless `optional_suffix`
    /// (`**/` may match nothing, so `/x` after `**` is not required).
    suffix: &'a str,
    optional_suffix: bool,
    /// The longest literal run outside classes (at least 3 bytes, else empty), which must appear
    /// in the text; not used with `nocase`.
    longest: &'a str,
}

const fn wild(b: u8) -> bool {
    matches!(b, b'*' | b'?' | b'[' | b'{' | b'\\')
}

/// The end of a `[...]` class starting at `i` (the index of its `]`), as the matcher reads it.
const fn class_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 2;
    while j < b.len() {
        if b[j] == b']' {
            return Some(j);
        }
        j += 1;
    }
    None
}

impl<'a> Glob<'a> {
    pub const fn new(text: &'a str) -> Glob<'a> {
        let b = text.as_bytes();
        let (mut literal, mut brace) = (true, false);
        let mut first_wild = b.len();
        let mut i = 0;
        while i < b.len() {
            if wild(b[i]) {
                literal = false;
            }
            if b[i] == b'{' {
                brace = true;
            }
            if first_wild == b.len() && matches!(b[i], b'*' | b'?' | b'[' | b'\\') {
                first_wild = i;
            }
            i += 1;
        }
        let mut last = b.len();
        while last > 0 && !matches!(b[last - 1], b'*' | b'?' | b']' | b'\\') {
            last -= 1;
        }
        if first_wild > last {
            // No wildcard but `{`: the prefix and suffix are not used.
            first_wild = last;
        }
        let optional_suffix = last < b.len() && b[last] == b'/' && last >= 2 && b[last - 1] == b'*' && b[last - 2] == b'*';
        // The longest literal run: wildcards, escapes and whole classes break runs, and a `/` right
        // after `**` is not part of one (`**/` may match nothing).
        let (mut best, mut best_len) = (0, 0);
        let (mut start, mut i) = (0, 0);
        while i <= b.len() {
            let end_run = i == b.len() || wild(b[i]) || matches!(b[i], b']' | b'}' | b',');
            if end_run {
                if i - start > best_len {
                    (best, best_len) = (start, i - start);
                }
                if i == b.len() {
                    break;
                }
                let mut next = i + 1;
                if b[i] == b'[' {
                    if let Some(e) = class_end(b, i) {
                        next = e + 1;
                    }
                } else if b[i] == b'\\' {
                    next = i + 2;
                } else if b[i] == b'*' && i + 1 < b.len() && b[i + 1] == b'*' {
                    next = i + 2;
                    if next < b.len() && b[next] == b'/' {
                        next += 1;
                    }
                }
                start = if next > b.len() { b.len() } else { next };
                i = start;
                continue;
            }
            i += 1;
        }
        let longest = if brace || best_len < 3 { "" } else { text.split_at(best).1.split_at(best_len).0 };
        Glob { text, first: if !b.is_empty() && !wild(b[0]) { Some(b[0]) } else { None }, literal, brace, prefix: text.split_at(first_wild).0, suffix: text.split_at(last).1, optional_suffix, longest }
    }

    /// A few comparisons that most texts the pattern cannot match fail (case-sensitive): the
    /// first byte, the length of a literal, the last byte of the suffix.
    #[inline(always)]
    fn may_match(&self, t: &[u8]) -> bool {
        if let Some(p0) = self.first
            && t.first() != Some(&p0)
        {
            return false;
        }
        if self.literal {
            return t.len() == self.text.len();
        }
        if self.brace || self.optional_suffix {
            return true;
        }
        match self.suffix.as_bytes().last() {
            Some(s) => t.last() == Some(s),
            None => true,
        }
    }

    /// Matches a word (a program, an argument, a host): `*` matches anything, `/` included.
    #[inline(always)]
    pub fn matches_word(&self, text: &str) -> bool {
        self.matches(text, false, false)
    }

    /// Matches a path or one of its components: `*` and `?` stop at `/`, `**` crosses it.
    #[inline(always)]
    pub fn matches_path(&self, text: &str) -> bool {
        self.matches(text, true, false)
    }

    /// Matches a word with ASCII case folded (hosts, MCP servers and tools).
    #[inline(always)]
    pub fn matches_nocase(&self, text: &str) -> bool {
        self.matches(text, false, true)
    }

    /// Matches `text`. In `path` mode `*` and `?` stop at `/` and `**` crosses it; otherwise `*`
    /// matches anything. `nocase` folds ASCII case. Inlined up to the first byte and a literal's
    /// comparison, where most tries end. Callers outside use the named forms above.
    #[inline(always)]
    fn matches(&self, text: &str, path: bool, nocase: bool) -> bool {
        if !nocase {
            if let Some(p0) = self.first
                && text.as_bytes().first() != Some(&p0)
            {
                return false;
            }
            if self.literal {
                return self.text == text;
            }
        }
        self.matches_rest(text, path, nocase)
    }

    #[inline(never)]
    fn matches_rest(&self, text: &str, path: bool, nocase: bool) -> bool {
        if let (Some(p0), Some(&t0)) = (self.first, text.as_bytes().first())
            && !eq(p0, t0, nocase)
        {
            return false;
        }
        if self.literal {
            return if nocase { self.text.eq_ignore_ascii_case(text) } else { self.text == text };
        }
        if !self.brace {
            let t = text.as_bytes();
            let (prefix, suffix) = (self.prefix.as_bytes(), self.suffix.as_bytes());
            if t.len() < prefix.len() || !bytes_eq(&t[..prefix.len()], prefix, nocase) {
                return false;
            }
            let ends = t.len() >= suffix.len() && bytes_eq(&t[t.len() - suffix.len()..], suffix, nocase);
            if !ends && !self.optional_suffix {
                return false;
            }
            if !nocase && !self.longest.is_empty() && !contains(t, self.longest.as_bytes()) {
                return false;
            }
            return m(self.text.as_bytes(), t, path, nocase);
        }
        let p = self.text;
        if let Some(open) = p.bytes().position(|b| b == b'{')
            && let Some(close_rel) = p.as_bytes()[open..].iter().position(|&b| b == b'}')
        {
            let close = open + close_rel;
            let (head, body, tail) = (&p[..open], &p[open + 1..close], &p[close + 1..]);
            return body.split(',').any(|alt| matches(&format!("{head}{alt}{tail}"), text, path, nocase));
        }
        m(p.as_bytes(), text.as_bytes(), path, nocase)
    }
}

/// Its text, as a newtype (which postcard and JSON write as the bare text): build.rs emits a
/// newtype as a call to its `const fn new`.
impl Serialize for Glob<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct("Glob", self.text)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Glob<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a str>::deserialize(d).map(Glob::new)
    }
}

/// Where a path pattern is anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor<'a> {
    /// `~/…`: under home (`exact`: home itself).
    Home { exact: bool },
    /// `{name}/…`: under the value of a variable.
    Var { name: &'a str, exact: bool },
    /// `/…` or `**…`: the whole path.
    Whole,
    /// No `/`: the last component (`.env` is `**/.env`).
    Base,
    /// A relative pattern with `/`: a tail of the path starting at any component.
    Tail,
}

/// A compiled path pattern: `~/` is home, `{name}` a variable, a relative pattern matches at any
/// depth. Built by the `const fn` [`PathGlob::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathGlob<'a> {
    pub text: &'a str,
    anchor: Anchor<'a>,
    /// The pattern after its anchor.
    body: Glob<'a>,
    /// The pattern's last component, which a path's last component must match, when that holds
    /// (no `**` or `{` in it): most tries fail on it in a few comparisons.
    last: Option<Glob<'a>>,
    /// The Bloom bits of the components a matching path must have (see [`PathKey`]).
    needs: u64,
}

/// What a rule's path patterns can match, summed up in a few bit sets, so that a rule none of
/// whose patterns can match a path is passed over without trying each pattern. A pattern anchored
/// at `~` or `/` is kept by the first component below its anchor: by a hash of it when the
/// pattern spells it whole, by its first byte when it only begins it (`~/.bash*`). Another is
/// kept by its last component (`.env`: hash; `id_*`: first byte; `*.pem`: last byte), or else by
/// the components it needs (`**/.github/workflows/**`: a Bloom filter of them). A pattern
/// anchored at a variable (`{ana_config}/**`) counts for a path that meets a variable's value.
/// One that says nothing of these (`**`, `~/*`) lets every path through.
///
/// Sound by construction: a path the filter turns away is one no pattern of the list matches,
/// or names something inside of (see [`PathGlob::may_name_in`]); a property test holds it to that.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PathsFilter {
    pub home_name: u128,
    pub home_byte: u128,
    pub root_name: u128,
    pub root_byte: u128,
    pub last_name: u128,
    pub last_byte: u128,
    pub last_end: u128,
    /// The union of the Bloom bits the patterns kept by their components need.
    pub needs_any: u64,
    /// A pattern is anchored at a variable.
    pub var: bool,
    /// Some pattern may match whatever the path is.
    pub any: bool,
}

/// FNV-1a: the hash of path components, and of the name tables (`schema::Names`).
pub const fn fnv1a(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut i = 0;
    while i < b.len() {
        h = (h ^ b[i] as u64).wrapping_mul(0x100000001b3);
        i += 1;
    }
    h
}

/// A set bit for a whole component: its hash's top seven bits.
const fn name_bit(b: &[u8]) -> u128 {
    1 << (fnv1a(b) >> 57)
}

/// A set bit for one byte (ASCII; `None` for another byte).
const fn byte_bit(b: u8) -> Option<u128> {
    if b < 128 { Some(1 << b) } else { None }
}

impl PathsFilter {
    pub const fn of(globs: &[PathGlob]) -> PathsFilter {
        let mut f = PathsFilter { home_name: 0, home_byte: 0, root_name: 0, root_byte: 0, last_name: 0, last_byte: 0, last_end: 0, needs_any: 0, var: false, any: false };
        let mut i = 0;
        while i < globs.len() {
            let g = &globs[i];
            i += 1;
            let prefix = if g.body.literal { g.body.text } else { g.body.prefix };
            // The literal beginning below the anchor.
            let below = match g.anchor {
                Anchor::Home { .. } => Some(prefix.as_bytes()),
                Anchor::Whole if !prefix.is_empty() && prefix.as_bytes()[0] == b'/' => Some(prefix.as_bytes().split_at(1).1),
                _ => None,
            };
            if let Some(p) = below {
                // The first component, whole when a `/` ends it or the pattern is all literal.
                let mut k = 0;
                while k < p.len() && p[k] != b'/' {
                    k += 1;
                }
                let (name, byte) = match g.anchor {
                    Anchor::Home { .. } => (&mut f.home_name, &mut f.home_byte),
                    _ => (&mut f.root_name, &mut f.root_byte),
                };
                if k == 0 {
                    f.any = true;
                } else if k < p.len() || g.body.literal {
                    *name |= name_bit(p.split_at(k).0);
                } else {
                    match byte_bit(p[0]) {
                        Some(b) => *byte |= b,
                        None => f.any = true,
                    }
                }
                continue;
            }
            if let Anchor::Var { .. } = g.anchor {
                f.var = true;
                continue;
            }
            // Matched by its last component, or by the components it needs.
            let mut kept = false;
            if let Some(last) = &g.last
                && !last.brace
            {
                if last.literal && !last.text.is_empty() {
                    f.last_name |= name_bit(last.text.as_bytes());
                    kept = true;
                } else if let Some(b) = last.first
                    && let Some(b) = byte_bit(b)
                {
                    f.last_byte |= b;
                    kept = true;
                } else if !last.suffix.is_empty()
                    && !last.optional_suffix
                    && let Some(b) = byte_bit(last.suffix.as_bytes()[last.suffix.len() - 1])
                {
                    f.last_end |= b;
                    kept = true;
                }
            }
            if !kept {
                if g.needs != 0 {
                    f.needs_any |= g.needs;
                } else {
                    f.any = true;
                }
            }
        }
        f
    }

    /// Whether some pattern of the list may match `probe`'s path (or name something inside it).
    #[inline(always)]
    pub fn admits(&self, probe: &PathProbe) -> bool {
        self.any
            || probe.all
            || (self.var && probe.var)
            || (self.home_name & probe.home_name)
                | (self.home_byte & probe.home_byte)
                | (self.root_name & probe.root_name)
                | (self.root_byte & probe.root_byte)
                | (self.last_name & probe.last_name)
                | (self.last_byte & probe.last_byte)
                | (self.last_end & probe.last_end)
                != 0
            || self.needs_any & probe.bloom != 0
    }
}

/// A path's bits for [`PathsFilter::admits`], worked out once before it meets many rules. The
/// default lets every rule through.
#[derive(Clone, Copy, Debug)]
pub struct PathProbe {
    home_name: u128,
    home_byte: u128,
    root_name: u128,
    root_byte: u128,
    last_name: u128,
    last_byte: u128,
    last_end: u128,
    bloom: u64,
    /// It meets a variable's value: is it, is below it, or (a tree) holds it.
    var: bool,
    /// Every filter admits it: home or above for a tree, or a home the filter cannot place.
    all: bool,
}

impl Default for PathProbe {
    fn default() -> PathProbe {
        PathProbe::ALL
    }
}

impl PathProbe {
    /// Every filter admits this one.
    pub const ALL: PathProbe = PathProbe { home_name: 0, home_byte: 0, root_name: 0, root_byte: 0, last_name: 0, last_byte: 0, last_end: 0, bloom: 0, var: true, all: true };

    /// For `target` (absolute, normalized) as a file, or as a tree whose contents count too;
    /// `vars` as for [`PathGlob::matches`].
    pub fn of(target: &Target, home: &str, vars: &[(&str, &str)], tree: bool) -> PathProbe {
        fn first(rest: &str) -> Option<&str> {
            rest.split('/').next().filter(|c| !c.is_empty())
        }
        let path = target.path;
        if !home.starts_with('/') || home.len() < 2 || home.ends_with('/') || !path.starts_with('/') {
            return PathProbe::ALL;
        }
        let path = if tree { path.trim_end_matches('/') } else { path };
        let below_home = path.strip_prefix(home).and_then(|r| r.strip_prefix('/')).filter(|r| !r.is_empty());
        if tree && below_home.is_none() && (path.is_empty() || path == home || home.strip_prefix(path).is_some_and(|r| r.starts_with('/'))) {
            return PathProbe::ALL;
        }
        let mut p = PathProbe { bloom: target.key.bloom, var: false, all: false, ..PathProbe::ALL };
        let bits = |c: &str| (name_bit(c.as_bytes()), byte_bit(c.as_bytes()[0]).unwrap_or(0));
        if let Some(c) = below_home.and_then(first) {
            (p.home_name, p.home_byte) = bits(c);
        }
        if let Some(c) = first(&path[1..]) {
            (p.root_name, p.root_byte) = bits(c);
        }
        if let Some(c) = path.rsplit('/').next().filter(|c| !c.is_empty()) {
            (p.last_name, p.last_byte) = bits(c);
            p.last_end = byte_bit(c.as_bytes()[c.len() - 1]).unwrap_or(0);
        }
        // Either begins the other: the path is at or below the value, or a tree holds it.
        p.var = vars.iter().any(|(_, v)| path.starts_with(v.trim_end_matches('/')) || v.starts_with(path));
        p
    }

    /// What admits either probe.
    pub fn or(self, o: PathProbe) -> PathProbe {
        PathProbe {
            home_name: self.home_name | o.home_name,
            home_byte: self.home_byte | o.home_byte,
            root_name: self.root_name | o.root_name,
            root_byte: self.root_byte | o.root_byte,
            last_name: self.last_name | o.last_name,
            last_byte: self.last_byte | o.last_byte,
            last_end: self.last_end | o.last_end,
            bloom: self.bloom | o.bloom,
            var: self.var | o.var,
            all: self.all | o.all,
        }
    }

    /// For a target that is itself a glob (`~/.ssh/i?_rsa`), as a file or a tree: an anchored
    /// pattern meets it only below its literal directory, as it meets a tree there; a pattern
    /// matched by its last component may meet whatever the glob's last component names.
    pub fn of_glob(g: &GlobTarget, target: &Target, home: &str, vars: &[(&str, &str)], tree: bool) -> PathProbe {
        let floating = PathProbe { last_name: !0, last_byte: !0, last_end: !0, bloom: !0, var: false, all: false, ..PathProbe::ALL };
        PathProbe::of(&g.dir, home, vars, true).or(PathProbe::of(target, home, vars, tree)).or(floating)
    }
}

/// A directory an effect covers whole (`grep -r`, `cp -r`, `find DIR`), worked out once before
/// it meets many patterns: where it stands to home, so that the patterns anchored there are
/// judged without comparing home again.
#[derive(Clone, Copy, Debug)]
pub struct Tree<'p> {
    /// Without a trailing `/` (the root is empty).
    path: &'p str,
    /// The part after `home/` when inside home (`""` for home itself).
    in_home: Option<&'p str>,
    /// Home is below it (`/`, `/home`).
    above_home: bool,
}

impl<'p> Tree<'p> {
    /// `dir` absolute and normalized.
    pub fn new(dir: &'p str, home: &str) -> Tree<'p> {
        let path = dir.trim_end_matches('/');
        let in_home = path.strip_prefix(home).and_then(|r| if r.is_empty() { Some(r) } else { r.strip_prefix('/') });
        let above_home = in_home.is_none() && home.strip_prefix(path).is_some_and(|r| r.starts_with('/'));
        Tree { path, in_home, above_home }
    }
}

/// Whether a pattern whose literal beginning is `prefix` may name something inside `dir` (both
/// from the same root): `dir` is a beginning of it that ends at a `/` of it, or goes on past it
/// into what a wildcard may match. Byte by byte: most tries differ in the first bytes.
#[inline(always)]
fn continues_into(dir: &[u8], prefix: &[u8], literal: bool) -> bool {
    let n = prefix.len().min(dir.len());
    let mut i = 0;
    while i < n {
        if dir[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    if n < prefix.len() { prefix[n] == b'/' } else { !literal }
}

/// What a path's components are, worked out once before it meets many patterns: where its last
/// component starts, and a 64-bit Bloom filter of its component names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathKey {
    base_at: usize,
    bloom: u64,
}

impl PathKey {
    pub fn of(path: &str) -> PathKey {
        // One pass: each component's hash is made as its bytes go by (as `component_bit`).
        const SEED: u64 = 0xcbf29ce484222325;
        let (mut bloom, mut h, mut base_at) = (0u64, SEED, 0);
        for (i, &c) in path.as_bytes().iter().enumerate() {
            if c == b'/' {
                if i > base_at {
                    bloom |= 1 << (h >> 58);
                }
                h = SEED;
                base_at = i + 1;
            } else {
                h = (h ^ c as u64).wrapping_mul(0x100000001b3);
            }
        }
        if path.len() > base_at {
            bloom |= 1 << (h >> 58);
        }
        PathKey { base_at, bloom }
    }
}

/// A glob written in a command (`~/.ssh/i?_rsa`), taken apart once: the literal directory
/// before its first wildcard, the component holding that wildcard, and its last component.
pub struct GlobTarget<'g> {
    dir: Target<'g>,
    depth: usize,
    name: &'g str,
    base: &'g str,
}

impl<'g> GlobTarget<'g> {
    pub fn new(glob: &'g str) -> GlobTarget<'g> {
        let cut = glob.find(['*', '?', '[', '{']).unwrap_or(glob.len());
        let dir_end = glob[..cut].rfind('/').unwrap_or(0);
        let comp_end = glob[cut..].find('/').map_or(glob.len(), |e| cut + e);
        let dir = if dir_end == 0 { "/" } else { &glob[..dir_end] };
        GlobTarget { dir: Target::new(dir), depth: dir.split('/').filter(|c| !c.is_empty()).count(), name: &glob[(dir_end + 1).min(comp_end)..comp_end], base: glob.rsplit('/').next().unwrap_or(glob) }
    }
}

/// A path with its [`PathKey`].
#[derive(Clone, Copy, Debug)]
pub struct Target<'p> {
    pub path: &'p str,
    key: PathKey,
}

impl<'p> Target<'p> {
    pub fn new(path: &'p str) -> Target<'p> {
        Target { path, key: PathKey::of(path) }
    }

    /// `key` must be `PathKey::of(path)`.
    pub fn with_key(path: &'p str, key: PathKey) -> Target<'p> {
        Target { path, key }
    }

    fn base(&self) -> &'p str {
        &self.path[self.key.base_at..]
    }
}

/// Whether cutting a pattern at its `/`s leaves whole path components: no `{…}` (which may hold
/// a `/`), no `/` inside a class, and every `**` a component of its own.
const fn splits_into_components(b: &[u8]) -> bool {
    if slash_in_class(b) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            return false;
        }
        if b[i] == b'*' && i + 1 < b.len() && b[i + 1] == b'*' {
            let whole = (i == 0 || b[i - 1] == b'/') && (i + 2 == b.len() || b[i + 2] == b'/');
            if !whole {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// Whether a `[…]` class holds a `/`, so that splitting the pattern at `/` would cut it.
const fn slash_in_class(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'['
            && let Some(end) = class_end(b, i)
        {
            let mut j = i + 1;
            while j < end {
                if b[j] == b'/' {
                    return true;
                }
                j += 1;
            }
            i = end;
        }
        i += 1;
    }
    false
}

/// The Bloom bit of the component `b[from..to]` (FNV-1a; its top six bits pick the bit).
const fn component_bit(b: &[u8], from: usize, to: usize) -> u64 {
    1 << (fnv1a(b.split_at(to).0.split_at(from).1) >> 58)
}

/// The Bloom bits of the components a path must have for `body` to match it: every literal
/// component between slashes. None when a `{…}` or a `**` that is not a whole component could
/// make a component straddle a `/`.
const fn required_components(body: &str) -> u64 {
    let b = body.as_bytes();
    if !splits_into_components(b) {
        return 0;
    }
    let (mut bloom, mut start, mut literal) = (0, 0, true);
    let mut i = 0;
    while i <= b.len() {
        if i == b.len() || b[i] == b'/' {
            if i > start && literal {
                bloom |= component_bit(b, start, i);
            }
            start = i + 1;
            literal = true;
        } else if matches!(b[i], b'*' | b'?' | b'[' | b']' | b'\\') {
            literal = false;
        }
        i += 1;
    }
    bloom
}

const fn trim_slashes(s: &str) -> &str {
    let mut s = s;
    while let [b'/', ..] = s.as_bytes() {
        s = s.split_at(1).1;
    }
    s
}

/// The last component of a pattern body, when every match must end with a path component that
/// matches it: not when a `{…}` or a `**` that is not a whole `**/` component may span `/`, and
/// not for an empty body.
const fn last_component(body: &str) -> Option<Glob<'_>> {
    let b = body.as_bytes();
    if b.is_empty() || !splits_into_components(b) {
        return None;
    }
    let mut slash = b.len();
    while slash > 0 && b[slash - 1] != b'/' {
        slash -= 1;
    }
    // Ending with `/`, what `**/` or `*/` before it matched decides; a last `**` spans any depth.
    let rest = b.len() - slash;
    if rest == 0 || (rest == 2 && b[slash] == b'*' && b[slash + 1] == b'*') {
        return None;
    }
    Some(Glob::new(body.split_at(slash).1))
}

impl<'a> PathGlob<'a> {
    pub const fn new(text: &'a str) -> PathGlob<'a> {
        let b = text.as_bytes();
        if b.len() >= 2 && b[0] == b'~' && b[1] == b'/' {
            let rest = text.split_at(2).1;
            let body = trim_slashes(rest);
            let anchor = Anchor::Home { exact: rest.is_empty() };
            return PathGlob { text, anchor, body: Glob::new(body), last: last_component(body), needs: required_components(body) };
        }
        if !b.is_empty() && b[0] == b'{' {
            let mut close = 1;
            while close < b.len() && b[close] != b'}' {
                close += 1;
            }
            if close < b.len() {
                let (head, rest) = text.split_at(close + 1);
                let name = head.split_at(1).1.split_at(close - 1).0;
                let body = trim_slashes(rest);
                let anchor = Anchor::Var { name, exact: rest.is_empty() };
                return PathGlob { text, anchor, body: Glob::new(body), last: last_component(body), needs: required_components(body) };
            }
        }
        let anchor = if (!b.is_empty() && b[0] == b'/') || (b.len() >= 2 && b[0] == b'*' && b[1] == b'*') {
            Anchor::Whole
        } else {
            let mut i = 0;
            while i < b.len() && b[i] != b'/' {
                i += 1;
            }
            if i == b.len() { Anchor::Base } else { Anchor::Tail }
        };
        // A base-name pattern is its own last component.
        let last = if matches!(anchor, Anchor::Base) { Some(Glob::new(text)) } else { last_component(text) };
        PathGlob { text, anchor, body: Glob::new(text), last, needs: required_components(text) }
    }

    /// Matches a normalized absolute path; `vars` are the `(name, value)` pairs for `{name}`.
    /// Inlined up to the last-component check, which rejects most tries without a call.
    #[inline(always)]
    pub fn matches(&self, target: &Target, home: &str, vars: &[(&str, &str)]) -> bool {
        if self.needs & target.key.bloom != self.needs {
            return false;
        }
        if let Some(last) = &self.last
            && !last.may_match(target.base().as_bytes())
        {
            return false;
        }
        self.matches_whole(target, home, vars)
    }

    /// Whether a path whose last component is `name` and whose directory is only known at run
    /// time may match: the pattern's last component names it and says something (at least three
    /// literal bytes, as `id_*`, `*.pem`, `.env`; `*` or `*.*` say nothing), and does not name
    /// the generic `config` of an anchored pattern (`~/.kube/*config*`), which every tool has.
    pub fn names_last(&self, name: &str) -> bool {
        let Some(last) = &self.last else { return false };
        let says_something = if last.literal { last.text.len() >= 3 } else { !last.longest.is_empty() };
        let generic = !matches!(self.anchor, Anchor::Base | Anchor::Tail) && last.matches_path("config");
        says_something && !generic && last.matches_path(name)
    }

    /// For a target that is itself a glob (`cat ~/.ssh/i?_rsa`, `cat .en?`): whether some file
    /// may match both. The pattern's component at the depth of the glob's first wildcard must be
    /// able to name what the glob's component names there (anchored patterns), or the two last
    /// components the same file (the others). As in the shell, a wildcard never names a leading
    /// `.`.
    pub fn may_meet_glob(&self, g: &GlobTarget, home: &str, vars: &[(&str, &str)]) -> bool {
        let (dir, name) = (g.dir.path, g.name);
        if matches!(self.anchor, Anchor::Base | Anchor::Tail) {
            return self.last.is_some_and(|last| names_may_meet(last.text, g.base));
        }
        let Some(root) = self.root(home, vars) else {
            return false;
        };
        if self.matches(&g.dir, home, vars) {
            // The glob's directory is itself named (`~/.ssh` for `~/.ssh/*`).
            return true;
        }
        if !self.may_name_under(dir, home, vars) {
            return false;
        }
        let depth = g.depth;
        let body = self.body.text;
        let mut parts = root.split('/').chain(body.split('/')).filter(|c| !c.is_empty());
        parts.nth(depth).is_some_and(|part| part.contains("**") || names_may_meet(part, name))
    }

    /// The absolute directory an anchored pattern's body starts from: home, a variable's value,
    /// or `""` for an absolute pattern. `None` for the others, and for an unset variable.
    fn root<'r>(&self, home: &'r str, vars: &'r [(&str, &str)]) -> Option<&'r str> {
        match self.anchor {
            Anchor::Home { .. } => Some(home),
            Anchor::Var { name, .. } => vars.iter().find(|(n, _)| *n == name).map(|(_, v)| *v),
            Anchor::Whole if self.text.starts_with('/') => Some(""),
            _ => None,
        }
    }

    /// Whether the pattern may name something inside the directory `dir` (an absolute,
    /// normalized path), for an effect on a whole tree: `~/.claude/settings.json` is inside
    /// `~/.claude` and `~`. Only anchored patterns (`~/`, `{name}`, `/…`) are judged this way;
    /// `.env` or `.git/hooks/**` could be inside any directory, and are matched as they are.
    #[inline(always)]
    pub fn may_name_under(&self, dir: &str, home: &str, vars: &[(&str, &str)]) -> bool {
        match self.anchor {
            Anchor::Base | Anchor::Tail => false,
            // Most tries differ right after home: look there before anything else.
            Anchor::Home { .. } => {
                let first = if self.body.literal { self.body.text } else { self.body.prefix }.as_bytes().first();
                match (dir.as_bytes().get(home.len() + 1), first) {
                    (Some(d), Some(p)) if d != p => false,
                    _ => self.names_under(dir, home, vars),
                }
            }
            _ => self.names_under(dir, home, vars),
        }
    }

    /// [`PathGlob::may_name_under`] for a [`Tree`] worked out once: the same answer, without
    /// comparing home for every pattern anchored there.
    #[inline(always)]
    pub fn may_name_in(&self, tree: &Tree, home: &str, vars: &[(&str, &str)]) -> bool {
        // The pattern's literal beginning, only looked up once the anchor asks for it.
        let prefix = || if self.body.literal { self.body.text } else { self.body.prefix };
        match self.anchor {
            Anchor::Base | Anchor::Tail => false,
            Anchor::Home { .. } => match tree.in_home {
                _ if tree.above_home => true,
                None => false,
                Some("") => !prefix().is_empty() || !self.body.literal,
                Some(rel) => continues_into(rel.as_bytes(), prefix().as_bytes(), self.body.literal),
            },
            Anchor::Whole if self.text.starts_with('/') => continues_into(tree.path.as_bytes(), prefix().as_bytes(), self.body.literal),
            Anchor::Whole => false,
            Anchor::Var { .. } => self.names_under(tree.path, home, vars),
        }
    }

    #[inline(never)]
    fn names_under(&self, dir: &str, home: &str, vars: &[(&str, &str)]) -> bool {
        let Some(root) = self.root(home, vars) else {
            return false;
        };
        // The pattern's literal beginning as an absolute path, `root/prefix`, compared with
        // `dir` in place, part by part.
        let prefix = if self.body.literal { self.body.text } else { self.body.prefix };
        let sep: &[u8] = if root.is_empty() || prefix.is_empty() { b"" } else { b"/" };
        let dir = dir.trim_end_matches('/').as_bytes();
        // Most tries differ on the first byte after the root: look there first.
        let at = root.len() + sep.len();
        if let (Some(d), Some(p)) = (dir.get(at), prefix.as_bytes().first())
            && d != p
        {
            return false;
        }
        // Below the root only at a `/`: `/hx` is not inside home `/h`.
        if !root.is_empty() && dir.len() > root.len() && dir[root.len()] != b'/' {
            return false;
        }
        let mut at = 0;
        for part in [root.as_bytes(), sep, prefix.as_bytes()] {
            let n = part.len().min(dir.len() - at);
            if dir[at..at + n] != part[..n] {
                return false;
            }
            if n < part.len() {
                // The pattern's beginning goes on past `dir`: inside it when a `/` follows.
                return part[n] == b'/';
            }
            at += n;
        }
        // `dir` is the beginning or below it: a wildcard after it may reach into it.
        !self.body.literal
    }

    #[inline(never)]
    fn matches_whole(&self, target: &Target, home: &str, vars: &[(&str, &str)]) -> bool {
        if let Some(last) = &self.last
            && !last.matches_path(target.base())
        {
            return false;
        }
        let path = target.path;
        let under =
            |root: &str, exact: bool| path.strip_prefix(root).is_some_and(|after| if exact { after.is_empty() } else { after.strip_prefix('/').is_some_and(|after| self.body.matches_path(after)) });
        match self.anchor {
            Anchor::Home { exact } | Anchor::Var { exact, .. } => self.root(home, vars).is_some_and(|root| under(root, exact)),
            Anchor::Whole => self.body.matches_path(path),
            // Matched whole as `last` above.
            Anchor::Base => true,
            Anchor::Tail => path.match_indices('/').any(|(i, _)| self.body.matches_path(&path[i + 1..])),
        }
    }
}

/// As [`Glob`]'s: its text, as a newtype.
impl Serialize for PathGlob<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct("PathGlob", self.text)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for PathGlob<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'a str>::deserialize(d).map(PathGlob::new)
    }
}

/// Matches a word against a pattern given as text (compiled on the spot); see
/// [`Glob::matches_word`].
pub fn matches_word(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches_word(text)
}

/// [`matches_word`] for a path; see [`Glob::matches_path`].
/// The files a pattern over one directory's names matches now (`dir/*.yml`), sorted; `None`
/// when the directory cannot be read, nothing matches (the pattern is then judged by every name
/// it could meet), more than `max` do, or the pattern is not of that kind. A wildcard never names
/// a leading `.`.
pub fn files_matching(pattern: &str, max: usize) -> Option<Vec<String>> {
    let (dir, base) = pattern.rsplit_once('/')?;
    if dir.contains(['*', '?', '[', '{', '\\']) || base.contains(['[', '{', '\\']) {
        return None;
    }
    let dir = if dir.is_empty() { "/" } else { dir };
    let mut names: Vec<String> = Vec::new();
    for e in std::fs::read_dir(dir).ok()?.take(4096) {
        let Some(n) = e.ok().and_then(|e| e.file_name().into_string().ok()) else { continue };
        if (base.starts_with('.') || !n.starts_with('.')) && matches_path(base, &n) {
            names.push(n);
            if names.len() > max {
                return None;
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    names.sort();
    Some(names.into_iter().map(|n| format!("{}/{n}", dir.trim_end_matches('/'))).collect())
}

pub fn matches_path(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches_path(text)
}

/// [`matches_word`] with ASCII case folded.
pub fn matches_nocase(pattern: &str, text: &str) -> bool {
    Glob::new(pattern).matches_nocase(text)
}

/// Matches `text` against a pattern given as text, in the mode the flags say.
fn matches(pattern: &str, text: &str, path: bool, nocase: bool) -> bool {
    Glob::new(pattern).matches(text, path, nocase)
}

fn bytes_eq(a: &[u8], b: &[u8], nocase: bool) -> bool {
    if nocase { a.eq_ignore_ascii_case(b) } else { a == b }
}

/// `hay.contains(needle)` for the short texts the classifier looks at, where a first-byte scan
/// wins over building a searcher.
pub(crate) fn has_text(hay: &str, needle: &str) -> bool {
    needle.is_empty() || contains(hay.as_bytes(), needle.as_bytes())
}

/// Whether `needle` (not empty) occurs in `hay`; texts here are short, so a first-byte scan wins
/// over building a searcher.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let (&first, rest) = needle.split_first().expect("a run is never empty");
    let mut from = 0;
    while let Some(k) = hay[from..].iter().position(|&b| b == first) {
        let at = from + k + 1;
        if hay[at..].starts_with(rest) {
            return true;
        }
        from = at;
    }
    false
}

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase { a.eq_ignore_ascii_case(&b) } else { a == b }
}

fn m(p: &[u8], t: &[u8], path: bool, nocase: bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // Backtracking points for the last `*` (single-segment in path mode).
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' if path && p.get(pi + 1) == Some(&b'*') => {
                    // `**`: any number of characters including `/`. `**/` may also match nothing;
                    // otherwise its `/` is matched as written, so `**/.env` is not `foo.env`.
                    let rest = &p[pi + 2..];
                    if rest.first() == Some(&b'/') && m(&rest[1..], &t[ti..], path, nocase) {
                        return true;
                    }
                    return (ti..=t.len()).any(|k| m(rest, &t[k..], path, nocase));
                }
                b'*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                b'?' if !(path && t[ti] == b'/') => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, len)) = class(&p[pi..], t[ti], nocase) {
                        if matched && !(path && t[ti] == b'/') {
                            pi += len;
                            ti += 1;
                            continue;
                        }
                    } else if eq(b'[', t[ti], nocase) {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() && eq(p[pi + 1], t[ti], nocase) => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c != b'?' && c != b'\\' && eq(c, t[ti], nocase) => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) if !(path && t[st] == b'/') => {
                star = Some((sp, st + 1));
                pi = sp + 1;
                ti = st + 1;
            }
            _ => return false,
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// One token of a single-component glob.
#[derive(Clone, Copy)]
enum Tok<'p> {
    Star,
    Any,
    /// A `[...]` class, as written (for [`class`]).
    Class(&'p [u8]),
    Lit(u8),
}

fn tokens(p: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'*' => {
                while p.get(i + 1) == Some(&b'*') {
                    i += 1;
                }
                out.push(Tok::Star);
            }
            b'?' => out.push(Tok::Any),
            b'[' => match class_end(p, i) {
                Some(end) => {
                    out.push(Tok::Class(&p[i..=end]));
                    i = end;
                }
                None => out.push(Tok::Lit(b'[')),
            },
            b'\\' if i + 1 < p.len() => {
                i += 1;
                out.push(Tok::Lit(p[i]));
            }
            c => out.push(Tok::Lit(c)),
        }
        i += 1;
    }
    out
}

/// Whether a file name may match both the pattern component `part` and the glob component
/// `name` written in a command, where a leading wildcard never names a hidden file.
fn names_may_meet(part: &str, name: &str) -> bool {
    let hidden_only = part.starts_with('.');
    if hidden_only && !name.starts_with('.') && name.starts_with(['*', '?', '[']) {
        return false;
    }
    intersect(part, name)
}

/// Whether some name matches both single-component globs `a` and `b` (`*`, `?`, `[…]`; a `{`
/// in either counts as yes). A class against a class or `?` counts as overlapping.
pub fn intersect(a: &str, b: &str) -> bool {
    if a.contains('{') || b.contains('{') {
        return true;
    }
    // Literal ends must agree: `*.pem` and `*.rs` cannot name the same file.
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    fn literal_end(s: &[u8]) -> Option<u8> {
        let c = *s.last()?;
        (!matches!(c, b'*' | b'?' | b']') && (s.len() < 2 || s[s.len() - 2] != b'\\')).then_some(c)
    }
    fn literal_start(s: &[u8]) -> Option<u8> {
        let c = *s.first()?;
        (!matches!(c, b'*' | b'?' | b'[' | b'\\')).then_some(c)
    }
    if let (Some(x), Some(y)) = (literal_end(ab), literal_end(bb))
        && x != y
    {
        return false;
    }
    if let (Some(x), Some(y)) = (literal_start(ab), literal_start(bb))
        && x != y
    {
        return false;
    }
    let (a, b) = (tokens(a.as_bytes()), tokens(b.as_bytes()));
    // seen[i][j]: the state (a[i..], b[j..]) was already explored and failed.
    let mut seen = vec![false; (a.len() + 1) * (b.len() + 1)];
    fn go(a: &[Tok], b: &[Tok], i: usize, j: usize, seen: &mut [bool]) -> bool {
        let key = i * (b.len() + 1) + j;
        if seen[key] {
            return false;
        }
        let hit = match (a.get(i), b.get(j)) {
            (None, None) => true,
            (Some(Tok::Star), _) => go(a, b, i + 1, j, seen) || (j < b.len() && go(a, b, i, j + 1, seen)),
            (_, Some(Tok::Star)) => go(a, b, i, j + 1, seen) || (i < a.len() && go(a, b, i + 1, j, seen)),
            (None, _) | (_, None) => false,
            (Some(x), Some(y)) => {
                let one = match (*x, *y) {
                    (Tok::Lit(c), Tok::Lit(d)) => c == d,
                    (Tok::Lit(c), Tok::Class(k)) | (Tok::Class(k), Tok::Lit(c)) => class(k, c, false).is_some_and(|(m, _)| m),
                    _ => true,
                };
                one && go(a, b, i + 1, j + 1, seen)
            }
        };
        if !hit {
            seen[key] = true;
        }
        hit
    }
    go(&a, &b, 0, 0, &mut seen)
}

/// Matches one byte against a `[...]` class at the start of `p`; returns (matched, pattern length).
fn class(p: &[u8], c: u8, nocase: bool) -> Option<(bool, usize)> {
    let end = p.iter().skip(2).position(|&b| b == b']')? + 2;
    let body = &p[1..end];
    let (negate, body) = match body.first() {
        Some(b'!' | b'^') => (true, &body[1..]),
        _ => (false, body),
    };
    let mut hit = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == b'-' {
            let (lo, hi) = (body[i], body[i + 2]);
            hit |= (lo..=hi).contains(&c) || (nocase && (lo..=hi).contains(&c.to_ascii_lowercase()));
            i += 3;
        } else {
            hit |= eq(body[i], c, nocase);
            i += 1;
        }
    }
    Some((hit != negate, end + 1))
}

#[cfg(test)]
mod tests {
    use super::{Glob, GlobTarget, PathGlob, PathKey, Target, Tree, component_bit, intersect, m, matches_nocase, matches_path, matches_word};
    use proptest::prelude::*;

    /// A path's key in one pass is the key of its components one by one.
    #[test]
    fn path_keys_are_the_bits_of_their_components() {
        for path in ["", "/", "//", "/a", "a", "a/", "/a//b/", "/home/dev/.ssh/id_rsa", "rel/x.y", "/é/ü", "///x"] {
            let b = path.as_bytes();
            let mut bloom = 0;
            for (start, part) in path.split('/').scan(0, |at, p| {
                let start = *at;
                *at += p.len() + 1;
                Some((start, p))
            }) {
                if !part.is_empty() {
                    bloom |= component_bit(b, start, start + part.len());
                }
            }
            assert_eq!(PathKey::of(path), PathKey { base_at: path.rfind('/').map_or(0, |i| i + 1), bloom }, "{path:?}");
        }
    }

    /// The matcher with none of the precomputed rejections: brace expansion, then the walk.
    fn reference(p: &str, t: &str, path: bool, nocase: bool) -> bool {
        if let Some(open) = p.find('{')
            && let Some(close) = p[open..].find('}').map(|c| open + c)
        {
            return p[open + 1..close].split(',').any(|alt| reference(&format!("{}{alt}{}", &p[..open], &p[close + 1..]), t, path, nocase));
        }
        m(p.as_bytes(), t.as_bytes(), path, nocase)
    }

    /// Path patterns as they were matched before they were compiled.
    fn reference_path(pattern: &str, path: &str, home: &str, vars: &[(&str, &str)]) -> bool {
        let strip = |prefix: &str, rest: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|after| if rest.is_empty() { after.is_empty() } else { after.strip_prefix('/').is_some_and(|after| reference(rest.trim_start_matches('/'), after, true, false)) })
        };
        if let Some(rest) = pattern.strip_prefix("~/") {
            return strip(home, rest);
        }
        if let Some(close) = pattern.starts_with('{').then(|| pattern.find('}')).flatten() {
            return vars.iter().find(|(n, _)| *n == &pattern[1..close]).is_some_and(|(_, v)| strip(v, &pattern[close + 1..]));
        }
        if pattern.starts_with('/') || pattern.starts_with("**") {
            return reference(pattern, path, true, false);
        }
        if !pattern.contains('/') {
            return reference(pattern, path.rsplit('/').next().unwrap_or(path), true, false);
        }
        path.match_indices('/').any(|(i, _)| reference(pattern, &path[i + 1..], true, false))
    }

    fn pattern() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec!["*", "**", "?", "[ab]", "[!a]", "[", "]", "{a,bc}", "{", "}", ",", "\\", "\\*", "/", "**/", "a", "b", "c", "ab", "abc", "A", ".", "-", "~/", "{v}"]),
            0..8,
        )
        .prop_map(|v| v.concat())
    }

    fn component() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(vec!["*", "?", "[ab]", "[!a]", "a", "b", ".", "c", "ab"]), 0..4).prop_map(|v| v.concat())
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "ab", "abc", "A", "/", ".", "*", "[", "{", ",", "-", "/h", "/h/x", "/v"]), 0..8).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// The rejections worked out when a pattern is compiled never change an answer.
        #[test]
        fn compiled_globs_match_as_the_walk_does(p in pattern(), t in text(), path: bool, nocase: bool) {
            prop_assert_eq!(Glob::new(&p).matches(&t, path, nocase), reference(&p, &t, path, nocase), "pattern {:?} text {:?}", p, t);
        }

        /// `intersect` never says no when some name matches both (it is what keeps a glob in a
        /// command from slipping past a pattern); checked against every name of up to 5 bytes.
        #[test]
        fn intersect_is_never_too_strict(a in component(), b in component()) {
            static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
            let all = NAMES.get_or_init(|| {
                let mut all = vec![String::new()];
                for len in 1..=5 {
                    let longer: Vec<String> = all.iter().filter(|s| s.len() == len - 1).flat_map(|s| ["a", "b", ".", "c"].map(|n| format!("{s}{n}"))).collect();
                    all.extend(longer);
                }
                all
            });
            let witness = all.iter().find(|n| reference(&a, n, true, false) && reference(&b, n, true, false));
            if let Some(w) = witness {
                prop_assert!(intersect(&a, &b), "{:?} and {:?} both match {:?}", a, b, w);
            }
        }

        #[test]
        fn compiled_path_globs_match_as_before(p in pattern(), t in text()) {
            let vars = [("v", "/v")];
            prop_assert_eq!(PathGlob::new(&p).matches(&Target::new(&t), "/h", &vars), reference_path(&p, &t, "/h", &vars), "pattern {:?} path {:?}", p, t);
        }
    }

    #[test]
    fn compiled_shapes() {
        let g = Glob::new("**/node_modules/**");
        assert_eq!((g.prefix, g.suffix, g.longest, g.literal), ("", "", "node_modules/", false));
        let g = Glob::new("x[abcdef]y*");
        assert_eq!((g.prefix, g.longest), ("x", ""));
        let g = Glob::new("~/.ssh");
        assert!(g.literal);
        const STATIC: PathGlob<'static> = PathGlob::new("{ana_config}/**");
        assert!(STATIC.matches(&Target::new("/c/ana/policy.toml"), "/h", &[("ana_config", "/c/ana")]));
        assert!(!STATIC.matches(&Target::new("/c/ana"), "/h", &[("ana_config", "/c/ana")]));
        assert!(PathGlob::new("{unclosed").matches(&Target::new("/x/{unclosed"), "/h", &[]), "an unclosed brace is a literal");
        assert_eq!(PathGlob::new("~/.ssh/id_*").last.map(|g| g.text), Some("id_*"));
        assert_eq!(PathGlob::new("~/.config/google-chrome/**/Login Data").last.map(|g| g.text), Some("Login Data"));
        assert_eq!(PathGlob::new("a**/x").last, None);
        assert_eq!(PathGlob::new("/etc/**").last, None);
        // Globs against globs.
        assert!(intersect("id_*", "i?_rsa"));
        assert!(intersect(".env", ".en?"));
        assert!(intersect("*.pem", "k*"));
        assert!(intersect(".env", ".[e]nv"));
        assert!(!intersect(".env", "*.rs"));
        assert!(!intersect("id_*", "[!i]*"));
        assert!(!intersect("*.pem", "*.pe"));
        let meets = |p: &str, g: &str| PathGlob::new(p).may_meet_glob(&GlobTarget::new(g), "/h", &[]);
        assert!(meets("~/.ssh/id_*", "/h/.ssh/*"));
        assert!(meets("~/.aws/credentials", "/h/.[a]ws/credentials"));
        assert!(meets(".env", "/p/.en?"));
        assert!(!meets(".env", "/p/src/*.rs"));
        assert!(!meets("~/.ssh/id_*", "/p/src/*.rs"));
        assert!(!meets(".env.*", "/p/src/*.rs"), "a leading wildcard never names a hidden file");
        assert!(!meets("~/.ssh/id_*", "/h/notes*.txt"));
        assert!(!meets("~/.ssh/id_*", "/h/*"));
        assert!(meets("~/.ssh/id_*", "/h/.*/id_rsa"));
        assert!(meets("~/.ssh", "/h/.ssh/*"));
        assert!(meets("/etc/shadow", "/etc/sha*"));
        // Tree effects: what an anchored pattern names inside a directory.
        let vars = [("ana_bin", "/usr/local/bin/ana")];
        let under = |p: &str, dir: &str| PathGlob::new(p).may_name_under(dir, "/h", &vars);
        assert!(under("~/.claude/settings*.json", "/h"));
        assert!(under("~/.claude/settings*.json", "/h/.claude/"));
        assert!(under("/etc/cron*/**", "/etc/cron.d"));
        assert!(under("{ana_bin}", "/usr/local/bin"));
        assert!(under("/etc/shadow", "/"));
        assert!(!under("~/.claude/settings*.json", "/h/.cla"));
        assert!(!under("~/.ssh", "/h/.ssh"), "the directory itself is a plain match");
        assert!(!under(".env", "/h"), "an unanchored name could be anywhere");
        assert!(!under("**/.git/hooks/**", "/h"));
        assert!(!under("{unset}/x", "/"));
        assert!(!under("~/**/.env", "/hx"), "beside home, not inside it");
        // A class may hold `/`: the pattern is then not cut into components.
        assert!(PathGlob::new("*[~/[ab]").matches(&Target::new("/ha"), "/h", &[]));
    }

    #[test]
    fn text_mode() {
        assert!(matches_word("+*", "+refs/heads/main"));
        assert!(matches_word("delete-*", "delete-bucket"));
        assert!(!matches_word("delete-*", "list-buckets"));
        assert!(matches_word("mkfs*", "mkfs.ext4"));
        assert!(matches_nocase("*delete*", "DELETE_REPOSITORY"));
        assert!(matches_word("{a,b}c", "bc"));
        assert!(matches_word("of=/dev/[sh]d*", "of=/dev/sda"));
    }

    #[test]
    fn path_mode() {
        assert!(matches_path("/home/dev/.ssh/**", "/home/dev/.ssh/id_rsa"));
        assert!(!matches_path("/home/dev/.ssh/**", "/home/dev/.ssh"));
        assert!(matches_path("**/.env", "/home/dev/project/.env"));
        assert!(!matches_path("**/.env", "/home/dev/project/.env.example"));
        assert!(matches_path("/home/dev/.claude/settings*.json", "/home/dev/.claude/settings.local.json"));
        assert!(!matches_path("/etc/*", "/etc/a/b"));
        assert!(matches_path("/etc/**", "/etc/a/b"));
        assert!(matches_path("**/.git/hooks/**", "/p/.git/hooks/pre-commit"));
        // `**/` is whole components: `**/.env` is not `foo.env`, `**/test*/` is not `latest/`.
        assert!(matches_path("**/.env", ".env"));
        assert!(!matches_path("**/.env", "foo.env"));
        assert!(!matches_path("**/.env", "/p/foo.env"));
        assert!(!matches_path("**/test*/fixtures/**", "/p/latest/fixtures/.env"));
        assert!(matches_path("**/test*/fixtures/**", "/p/tests/fixtures/.env"));
        assert!(matches_path("/a/**/b", "/a/b"));
        assert!(matches_path("/a/**/b", "/a/x/y/b"));
        assert!(!matches_path("/a/**/b", "/a/xb"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The tree check worked out once gives the answer of the plain one, for every kind of
        /// anchor and every place of the directory (above home, home, inside, beside, the root).
        #[test]
        fn tree_check_is_the_plain_one(
            pattern in proptest::sample::select(vec!["~", "~/.ssh", "~/.ssh/id_*", "~/.config/**", "~/*", "~/.h*/x", "~/**/.env", "/etc/shadow", "/etc/cron*/**", "/", "/etc/", "/h", "/h/.aws/**", "{ana_bin}", "{ana_bin}/x", "{unset}/x", "**/.git/hooks/**", ".env", "a/b"]),
            dir in proptest::sample::select(vec!["/", "/h", "/h/", "/h/.ssh", "/h/.ssh/", "/h/.s", "/h/.config/x", "/h/p", "/hx", "/etc", "/etc/cron.d", "/et", "/usr/local/bin", "/usr/local", "/h/.aws", "/h/.hx"]),
        ) {
            let vars = [("ana_bin", "/usr/local/bin/ana")];
            let g = PathGlob::new(pattern);
            prop_assert_eq!(g.may_name_in(&Tree::new(dir, "/h"), "/h", &vars), g.may_name_under(dir, "/h", &vars), "{} in {}", pattern, dir);
        }
    }
}
