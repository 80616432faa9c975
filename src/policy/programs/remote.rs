//! Programs that change state on other machines through an API — clouds, clusters, forges,
//! hosting and payment platforms. Confinement bounds what a command does to this machine's files;
//! it cannot see an API call. So for these programs ana knows the opposite of a deny list: the
//! commands that only read (list, describe, get, logs, a dry run) or only change this machine's
//! own configuration; every other command of the program, including one ana has never heard of or
//! whose verb is computed when it runs, changes remote state and needs approval.
//!
//! A family reads its verb from the positional words (options and their values skipped): at a
//! fixed place (`aws SERVICE VERB`, `kubectl VERB`, `gh GROUP VERB`), or as the first word that
//! names an operation after any number of command groups (`gcloud compute instances list`).

use super::Word;

/// Where a family's verb is.
#[derive(Clone, Copy)]
enum Verb {
    /// The positional word at this index.
    At(usize),
    /// The first positional word that is a read-only verb, after command groups — words that
    /// name no operation. A word that looks like an operation (`delete`, `add-metadata`, a
    /// computed word) before it, or no read-only verb at all, is a change.
    AfterGroups,
}

struct Family {
    programs: &'static [&'static str],
    verb: Verb,
    /// Verbs (or `group verb` pairs, for [`Verb::At`] with index 1) that only read, or change
    /// only this machine's configuration. A trailing `*` matches any rest (`describe-*`).
    reads: &'static [&'static str],
    /// Whole first words that never reach the remote (`config`, `completion`), any verb after.
    local_groups: &'static [&'static str],
    /// Options that take a value (global and common), so that the value is not read as a verb.
    with_value: &'static [&'static str],
    /// Options known to take none. Any other option is also read as taking the next word, and
    /// the command is a change when either reading makes it one (`kubectl --cache-dir get
    /// delete ns prod` deletes).
    flags: &'static [&'static str],
}

const AWS_READS: &[&str] = &[
    "login",
    "logout",
    "start-query",
    "stop-query",
    "simulate-*",
    "describe-*",
    "list-*",
    "get-*",
    "head-*",
    "lookup-*",
    "search-*",
    "batch-get-*",
    "validate-*",
    "estimate-*",
    "filter-*",
    "preview-*",
    "scan",
    "query",
    "wait",
    "help",
    "tail",
    "ls",
];

const KUBE_READS: &[&str] = &[
    "get",
    "describe",
    "logs",
    "log",
    "top",
    "explain",
    "api-resources",
    "api-versions",
    "version",
    "cluster-info",
    "diff",
    "events",
    "wait",
    "port-forward",
    "proxy",
    "kustomize",
    "options",
    "help",
    "rollout status",
    "rollout history",
    "auth can-i",
    "auth whoami",
    "plugin list",
    "krew list",
    "krew search",
    "krew info",
    "whoami",
    "status",
    "project",
    "projects",
];

const GROUPED_READS: &[&str] = &[
    // (`bq head TABLE`: the first rows.)
    "head",
    "log",
    "logs",
    "download",
    "what-if",
    "query",
    "lookup",
    "list",
    "ls",
    "describe",
    "show",
    "get",
    "get-*",
    "list-*",
    "show-*",
    "describe-*",
    "read",
    "tail",
    "info",
    "version",
    "help",
    "exists",
    "wait",
    "cat",
    "du",
    "stat",
    "hash",
    "search",
    "print-settings",
    "check-*",
    "validate",
    "lint",
];

const FAMILIES: &[Family] = &[
    Family {
        programs: &["aws"],
        verb: Verb::At(1),
        reads: AWS_READS,
        local_groups: &["configure", "help", "history", "cli-dev"],
        with_value: &[
            "--profile",
            "--region",
            "--output",
            "--endpoint-url",
            "--query",
            "--cli-read-timeout",
            "--cli-connect-timeout",
            "--ca-bundle",
            "--color",
            "--cli-binary-format",
            "--max-items",
            "--page-size",
            "--starting-token",
        ],
        flags: &[
            "--debug",
            "--no-verify-ssl",
            "--no-paginate",
            "--no-sign-request",
            "--no-cli-pager",
            "--cli-auto-prompt",
            "--no-cli-auto-prompt",
            "--recursive",
            "--dryrun",
            "--human-readable",
            "--summarize",
            "--follow",
        ],
    },
    Family {
        programs: &["gcloud", "gsutil", "bq"],
        verb: Verb::AfterGroups,
        reads: GROUPED_READS,
        local_groups: &["config", "auth", "components", "help", "info", "version", "topic", "init", "cheat-sheet", "feedback", "emulators"],
        with_value: &[
            "--project",
            "--account",
            "--configuration",
            "--format",
            "--verbosity",
            "--impersonate-service-account",
            "--billing-project",
            "--region",
            "--zone",
            "--filter",
            "--limit",
            "--sort-by",
            "--page-size",
            "--location",
            "--flatten",
            "-p",
            "-o",
            "-h",
        ],
        flags: &["--quiet", "-q", "--verbose", "--log-http", "--no-user-output-enabled", "--user-output-enabled", "--async"],
    },
    Family {
        programs: &["az", "azd"],
        verb: Verb::AfterGroups,
        reads: GROUPED_READS,
        local_groups: &["login", "logout", "config", "configure", "version", "help", "find", "upgrade", "extension", "bicep", "interactive", "feedback", "init", "auth"],
        with_value: &["--subscription", "-o", "--output", "--query", "-g", "--resource-group", "-n", "--name", "-l", "--location"],
        flags: &["--debug", "--verbose", "--only-show-errors", "-y", "--yes", "--no-wait"],
    },
    Family {
        programs: &["kubectl", "oc", "kubecolor"],
        verb: Verb::At(0),
        reads: KUBE_READS,
        local_groups: &["config", "completion", "convert", "kustomize", "login", "logout", "whoami", "version"],
        with_value: &[
            "-n",
            "--namespace",
            "--context",
            "--cluster",
            "--kubeconfig",
            "-l",
            "--selector",
            "-o",
            "--output",
            "--user",
            "-s",
            "--server",
            "--as",
            "--as-group",
            "--token",
            "-c",
            "--container",
            "--field-selector",
            "--sort-by",
            "-L",
            "--label-columns",
            "--tail",
            "--since",
            "--since-time",
            "--request-timeout",
            "-v",
            "--v",
            "--timeout",
            "--for",
            "--template",
            "--chunk-size",
            "-f",
            "--filename",
            "-k",
            "--kustomize",
            "--cache-dir",
            "--certificate-authority",
            "--client-certificate",
            "--client-key",
            "--password",
            "--username",
            "--profile",
            "--profile-output",
            "--tls-server-name",
            "--log-dir",
            "--log-file",
            "--vmodule",
            "--type",
        ],
        flags: &[
            "--insecure-skip-tls-verify",
            "--match-server-version",
            "--warnings-as-errors",
            "--disable-compression",
            "-A",
            "--all-namespaces",
            "-w",
            "--watch",
            "--show-labels",
            "--no-headers",
            "--follow",
            "--previous",
            "-R",
            "--recursive",
            "--all",
            "--force",
            "-i",
            "-t",
            "--stdin",
            "--tty",
            "-it",
        ],
    },
    Family {
        programs: &["helm"],
        verb: Verb::At(0),
        reads: &[
            "list",
            "ls",
            "status",
            "get",
            "history",
            "hist",
            "show",
            "inspect",
            "search",
            "template",
            "lint",
            "version",
            "env",
            "help",
            "pull",
            "fetch",
            "verify",
            "package",
            "create",
            "dependency",
            "dep",
            "diff",
        ],
        local_groups: &["repo", "plugin", "completion", "registry", "env"],
        with_value: &[
            "-n",
            "--namespace",
            "--kube-context",
            "--kubeconfig",
            "-f",
            "--values",
            "--set",
            "--set-string",
            "--set-file",
            "--version",
            "-o",
            "--output",
            "--repo",
            "--registry-config",
            "--repository-config",
            "--repository-cache",
        ],
        flags: &["--debug", "-A", "--all-namespaces", "--all", "--wait", "--atomic", "--install", "-i", "--create-namespace", "--force", "--devel"],
    },
    Family {
        programs: &["gh", "glab", "hub"],
        verb: Verb::At(0),
        reads: &[
            // Everyday collaboration a user reviews before it lands: proposing a change, talking
            // about one, taking a branch. Merging, releasing and settings are not here.
            "pr create",
            "mr create",
            "mr checkout",
            "mr note",
            "issue note",
            "ci trace",
            "pr merge",
            "pr comment",
            "pr edit",
            "pr ready",
            "pr checkout",
            "pr co",
            "issue create",
            "issue comment",
            "issue edit",
            "issue develop",
            "repo clone",
            "release upload",
            "repo set-default",
            "gist clone",
            "auth status",
            "auth login",
            "auth logout",
            "auth token",
            "auth refresh",
            "auth switch",
            "auth setup-git",
            "config get",
            "config list",
            "alias list",
            "attestation verify",
            "codespace list",
            "codespace view",
            "* list",
            "* ls",
            "* view",
            "* status",
            "* diff",
            "* checks",
            "* watch",
            "* download",
            "* browse",
            "* get",
            "search *",
            "browse *",
        ],
        local_groups: &["help", "version", "completion", "status", "browse", "search"],
        with_value: &[
            "-R",
            "--repo",
            "--hostname",
            "-q",
            "--jq",
            "-t",
            "--template",
            "-L",
            "--limit",
            "-s",
            "--state",
            "-B",
            "--base",
            "-H",
            "--head",
            "-b",
            "--body",
            "-T",
            "--title",
            "-a",
            "--assignee",
            "-l",
            "--label",
            "-w",
            "--web",
            "--json",
        ],
        flags: &[
            "-w",
            "--web",
            "-f",
            "--fill",
            "-d",
            "--draft",
            "--squash",
            "--merge",
            "--rebase",
            "--admin",
            "--auto",
            "--delete-branch",
            "-y",
            "--yes",
            "--public",
            "--private",
            "--push",
            "--paginate",
            "-i",
            "--include",
            "--silent",
            "--verbose",
        ],
    },
    Family {
        programs: &["doctl"],
        verb: Verb::AfterGroups,
        reads: &["list", "ls", "get", "describe", "help", "version", "logs", "show"],
        local_groups: &["auth", "completion", "version"],
        with_value: &["-t", "--access-token", "-c", "--config", "-o", "--output", "--context", "--format"],
        flags: &[],
    },
    Family {
        programs: &["flyctl", "fly"],
        verb: Verb::AfterGroups,
        reads: &["list", "ls", "status", "logs", "show", "info", "version", "help", "history", "releases", "checks", "doctor", "platform", "regions", "dashboard", "open"],
        local_groups: &["auth", "version", "help", "docs", "launch-preview", "config"],
        with_value: &["-a", "--app", "-c", "--config", "-o", "--org", "-r", "--region"],
        flags: &[],
    },
    Family {
        programs: &[
            "heroku",
            "vercel",
            "netlify",
            "railway",
            "render",
            "wrangler",
            "firebase",
            "stripe",
            "eksctl",
            "argocd",
            "nomad",
            "consul",
            "pulumi-esc",
            "az-devops",
            "helmfile",
            "flux",
            "hcloud",
            "linode-cli",
            "oci",
            "eb",
            "amplify",
            "kamal",
            "cf",
            "rclone",
            "s5cmd",
            "sam",
            "skaffold",
            "packer",
            "etcdctl",
            "scw",
            "civo",
            "vultr-cli",
            "ibmcloud",
            "aliyun",
            "databricks",
            "pscale",
            "neonctl",
            "turso",
            "koyeb",
            "juju",
        ],
        verb: Verb::AfterGroups,
        reads: &[
            "list",
            "ls",
            "get",
            "get-*",
            "describe",
            "show",
            "status",
            "logs",
            "log",
            "info",
            "whoami",
            "version",
            "help",
            "inspect",
            "tail",
            "history",
            "releases",
            "read",
            "diff",
            "lint",
            "validate",
            "dev",
            "login",
            "logout",
            "link",
            "init",
            "pull",
            "env",
            "open",
            "members",
            "doctor",
            "apps",
            "ps",
            "addons",
            "domains",
            "regions",
            "retrieve",
            "lookup",
            "resources",
            "manifests",
            "build",
            "types",
            "serve",
            "listen",
            "use",
            "search",
            "emulators",
            "capabilities",
            "plan",
            "template",
            "check",
            "tree",
            "trace",
            "export",
            "stats",
            "events",
            "render",
            "diagnose",
            "lsd",
            "lsf",
            "lsl",
            "lsjson",
            "cat",
            "size",
            "md5sum",
            "sha1sum",
            "hashsum",
            "validate",
            "fmt",
            "inspect",
            "console",
            "deps",
            "repos",
            "write-values",
            "show-dag",
            "fetch",
            "du",
            "endpoint",
            "member",
            "alarm",
            "watch",
        ],
        local_groups: &["auth", "completion", "config", "help", "version", "login", "logout", "whoami", "emulators", "use", "listen", "build", "serve", "dev", "types", "init"],
        with_value: &[
            "-a",
            "--app",
            "-r",
            "--remote",
            "--scope",
            "--token",
            "-t",
            "--project",
            "--project-ref",
            "--site",
            "--cluster",
            "--region",
            "-o",
            "--output",
            "--profile",
            "--api-key",
            "--address",
            "--namespace",
            "-n",
        ],
        flags: &[],
    },
];

const VAULT: Family = Family {
    programs: &["vault"],
    verb: Verb::AfterGroups,
    reads: &["read", "list", "get", "status", "version", "lookup", "capabilities", "help", "print", "path-help", "metadata", "tune"],
    local_groups: &["login", "version", "status", "print", "path-help", "server", "agent"],
    with_value: &["-address", "-namespace", "-format", "-field", "-mount", "-path", "-method"],
    flags: &["-tls-skip-verify", "-non-interactive"],
};

const KEYCLOAK: Family = Family {
    programs: &["kcadm.sh", "kcadm", "kcreg.sh", "kcreg"],
    verb: Verb::At(0),
    reads: &["get", "get-roles", "help"],
    local_groups: &["config"],
    with_value: &[
        "-r",
        "--realm",
        "--server",
        "--user",
        "--password",
        "--client",
        "--secret",
        "--config",
        "--truststore",
        "--trustpass",
        "-q",
        "--query",
        "-F",
        "--fields",
        "--format",
        "--offset",
        "--limit",
        "--cid",
        "--cclientid",
        "--rolename",
        "--uusername",
        "--uid",
        "-s",
        "--set",
        "-f",
        "--file",
    ],
    flags: &["--no-config", "--noquotes", "--compressed", "--effective", "--available"],
};

/// The Jenkins command-line client (`java -jar jenkins-cli.jar -s URL VERB`): everything but
/// listing and reading changes the controller (`groovy` runs a script there).
const JENKINS: Family = Family {
    programs: &["jenkins-cli"],
    verb: Verb::At(0),
    reads: &[
        "who-am-i",
        "help",
        "version",
        "list-jobs",
        "list-plugins",
        "list-changes",
        "get-job",
        "get-node",
        "get-view",
        "get-credentials-domain-as-xml",
        "console",
        "session-id",
        "keep-build",
        "wait-node-online",
        "wait-node-offline",
    ],
    local_groups: &[],
    with_value: &["-s", "-auth", "-i", "-user", "-logger", "-p", "-bearer"],
    flags: &["-webSocket", "-http", "-ssh", "-noCertificateCheck", "-noKeyAuth", "-strictHostKey"],
};

/// WP-CLI run against another machine's site (`--ssh=host/path`, `--http=URL`, an `@alias`).
const WP_REMOTE: Family = Family {
    programs: &["wp"],
    verb: Verb::AfterGroups,
    reads: &[
        "list",
        "get",
        "status",
        "version",
        "search",
        "is-installed",
        "is-active",
        "verify-checksums",
        "path",
        "info",
        "check-update",
        "exists",
        "count",
        "pluck",
        "help",
        "cli",
        "tables",
        "size",
        "check",
    ],
    local_groups: &["cli", "help", "package"],
    with_value: &["--path", "--url", "--user", "--ssh", "--http", "--require", "--exec", "--context", "--format", "--fields", "--field"],
    flags: &["--quiet", "--debug", "--skip-plugins", "--skip-themes", "--skip-packages", "--allow-root", "--color", "--no-color"],
};

const SUPABASE: Family = Family {
    programs: &["supabase"],
    verb: Verb::AfterGroups,
    reads: &["list", "ls", "get", "status", "logs", "diff", "lint", "help", "version", "serve", "new", "dump", "inspect"],
    local_groups: &["start", "stop", "status", "init", "link", "unlink", "login", "logout", "gen", "completion", "help", "bootstrap", "test", "seed"],
    with_value: &["--project-ref", "--workdir", "-o", "--output", "--db-url", "-p", "--password"],
    flags: &["--debug", "--linked", "--local", "--experimental", "--yes"],
};

/// Whether a command calls another machine's API by a name that deletes: a gRPC method
/// (`grpcurl … acme.Users/DeleteUser`, `grpc_cli call host Users.DeleteUser`, `buf curl
/// …/acme.Users/PurgeCache`), or a GraphQL mutation sent with an HTTP client (`curl -d
/// '{"query":"mutation { deleteProject(id: 1) }"}'`). Calls to this machine are not meant.
pub fn deletes_through_api(program: &str, argv: &[Word], stdin_text: Option<&str>) -> bool {
    const VERBS: &[&str] = &["delete", "destroy", "purge", "drop", "remove", "truncate", "wipe", "erase", "terminate", "deregister", "revoke", "nuke", "obliterate"];
    // Any word of a name (`DeleteUser`, `BatchDeleteUsers`, `productDelete`, `bulk_delete`).
    let destroys = |name: &str| {
        super::text::name_words(name, true).iter().any(|w| VERBS.contains(&w.as_str()) || (w.len() > 6 && VERBS.iter().any(|v| w.starts_with(v) && matches!(&w[v.len()..], "all" | "many" | "s"))))
    };
    let local = argv.iter().any(|w| {
        let t = w.text.trim_start_matches("http://").trim_start_matches("https://");
        t.starts_with("localhost") || t.starts_with("127.") || t.starts_with("[::1]") || t.starts_with("0.0.0.0") || t.starts_with("unix:") || t.contains(".localhost")
    });
    if local {
        return false;
    }
    match program {
        // (`describe` and `list` only read the service's schema.)
        "grpcurl" | "grpc_cli" | "evans" | "ghz" | "buf" => {
            !argv.iter().skip(1).any(|w| matches!(w.text.as_str(), "describe" | "list" | "ls" | "type"))
                && argv.iter().skip(1).filter(|w| !w.text.starts_with('-') && !w.text.starts_with('{')).any(|w| {
                    let method = w.text.rsplit(['/', '.']).next().unwrap_or("");
                    (w.text.contains('/') || w.text.contains('.')) && destroys(method)
                })
        }
        "curl" | "wget" | "wget2" | "http" | "https" | "xh" | "xhs" | "httpie" | "gh" => argv.iter().skip(1).map(|w| w.text.as_str()).chain(stdin_text).any(|text| {
            // As the server reads it: `%7B` and `\u0064` are `{` and `d`.
            let decoded = crate::policy::content::json_unescaped(&crate::policy::content::percent_decoded(text));
            let w = Word::lit(&decoded);
            let lower = w.text.to_ascii_lowercase();
            // A method carried another way (`X-HTTP-Method-Override: DELETE`, `?_method=DELETE`).
            let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
            if ["method-override:delete", "method-override:purge", "_method=delete", "_method=purge", "x-http-method:delete", "x-http-method:purge"].iter().any(|k| squeezed.contains(k)) {
                return true;
            }
            // An RPC named in the address (Connect, Twirp: `…/acme.v1.UserService/DeleteUser`) or
            // in the body (JSON-RPC `"method": "deleteUser"`).
            if (lower.starts_with("http://") || lower.starts_with("https://"))
                && let Some(last) = w.text.split(['?', '#']).next().and_then(|u| u.rsplit('/').next())
                && w.text.split(['?', '#']).next().is_some_and(|u| u.rsplit('/').nth(1).is_some_and(|svc| svc.contains('.') && svc.chars().any(|c| c.is_uppercase())))
                && destroys(last)
            {
                return true;
            }
            if let Some(at) = squeezed.find("\"method\":\"") {
                let name: String = w.text.chars().filter(|c| !c.is_whitespace()).skip(at + 10).take_while(|c| *c != '"').collect();
                if destroys(&name) {
                    return true;
                }
            }
            let Some(at) = lower.find("mutation") else { return false };
            // The first field of the mutation's selection (past its name and variables).
            // A field of the mutation (an alias's field too) that takes arguments or a selection.
            let body = &w.text[at + "mutation".len()..];
            let Some(open) = body.find('{') else { return false };
            let body = &body[open + 1..];
            body.match_indices(|c: char| c.is_alphanumeric() || c == '_').any(|(k, _)| {
                let starts = k == 0 || !body[..k].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                let name: String = body[k..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                starts && destroys(&name) && body[k + name.len()..].trim_start().starts_with(['(', '{'])
            })
        }),
        _ => false,
    }
}

/// Clients of registries and object stores that some rule names for what they publish, whose
/// deletes no rule models (`crane delete`, `regctl tag delete`, `mc rm`, `nuget delete`).
pub const REGISTRY_CLIENTS: &[&str] = &["crane", "gcrane", "regctl", "skopeo", "oras", "nuget", "dotnet", "mc", "s3cmd", "jfrog", "jf", "twine", "cosign"];

/// Whether a command of a program ana has no model of is told to destroy something by its verb
/// (`velero backup delete`, `borg delete`, `restic forget --prune`, `flarectl dns delete`,
/// `kafka-topics --delete`): among its first positional words, or as an option naming the
/// operation. What it deletes may be anywhere: a backup, a zone, a topic, a cluster. Programs
/// that only tidy this machine (`kind delete cluster`, `ollama rm`) are not meant.
pub fn destroys_by_verb(program: &str, argv: &[Word]) -> bool {
    const VERBS: &[&str] = &[
        "delete",
        "destroy",
        "purge",
        "prune",
        "forget",
        "wipe",
        "erase",
        "terminate",
        "drop",
        "truncate",
        "nuke",
        "deregister",
        "decommission",
        "rm",
        "remove",
        "del",
        "rb",
        "rmi",
        "evict",
        "obliterate",
        "shred",
        "delete-all",
        "deleteall",
        "drop-database",
        "dropdb",
        "teardown",
        "tear-down",
        "flushall",
        "flushdb",
        "revoke",
    ];
    const OPTIONS: &[&str] = &[
        "--delete",
        "--purge",
        "--drop",
        "--destroy",
        "--delete-all",
        "--wipe",
        "--truncate",
        "--prune",
        "--remove",
        "--force-delete",
        "--reset-offsets",
        "--alter",
        "-rm",
        "-rmr",
        "-rmdir",
        "-delete",
        "-skipTrash",
        "--nuke",
    ];
    const LOCAL: &[&str] = &[
        "kind",
        "pm2",
        "supervisorctl",
        "jupyter",
        "jupyter-kernelspec",
        "ipython",
        "pipenv",
        "virtualenv",
        "nodenv",
        "rbenv",
        "goenv",
        "jenv",
        "xcrun",
        "simctl",
        "adb",
        "emulator",
        "avdmanager",
        "sdkmanager",
        "flutter",
        "dart",
        "fvm",
        "corepack",
        "changeset",
        "nx",
        "turbo",
        "lerna",
        "rush",
        "storybook",
        "composer",
        "bundle",
        "cargo-make",
        "makers",
        "cmake",
        "ctest",
        "meson",
        "ninja",
        "scons",
        "premake5",
        "xmake",
        "qmake",
        "bear",
        "compiledb",
        "ccls",
        "clangd",
        "rust-analyzer",
        "minikube",
        "k3d",
        "k3s",
        "vagrant",
        "multipass",
        "ollama",
        "lxc",
        "lxd",
        "virsh",
        "colima",
        "limactl",
        "tmux",
        "screen",
        "pyenv",
        "nvm",
        "asdf",
        "sdk",
        "pipx",
        "rustup",
        "ccache",
        "sccache",
        "trash",
        "trash-put",
        "gio",
        "flatpak",
        "snap",
        "brew",
        "port",
        "nix-env",
        "nix-collect-garbage",
        "nix-store",
        "home-manager",
        "fnm",
        "volta",
        "n",
        "direnv",
        "pre-commit",
        "husky",
        "jj",
        "hg",
        "svn",
        "fossil",
        "update-alternatives",
        "keychain",
        "ssh-add",
        "gpg",
        "gpg2",
        "pass",
        "gopass",
        "mkcert",
        "certutil",
        "crontab",
        "at",
        "atrm",
        "systemctl",
        "launchctl",
        "journalctl",
        "podman",
        "nerdctl",
        "buildah",
        "skopeo",
        "ctr",
        "crictl",
        "dvc",
        "git-lfs",
        "pip",
        "pip3",
        "gem",
        "cpan",
        "cpanm",
        "luarocks",
        "opam",
        "stack",
        "cabal",
        "ghcup",
        "mix",
        "rebar3",
        "dotnet",
        "nuget",
        "vcpkg",
        "conan",
        "bazel",
        "bazelisk",
        "buck",
        "buck2",
        "pants",
        "earthly",
        "act",
        "devcontainer",
        "code",
        "cursor",
        "zed",
        "idea",
        "tldr",
        "xdg-mime",
        "dconf",
        "gsettings",
        "defaults",
        "fc-cache",
        "ldconfig",
        "update-ca-certificates",
        "locale-gen",
        "mise",
        "rtx",
        "proto",
        "aqua",
    ];
    // The shell's builtins and the programs of files and text, whose words are names of files
    // or text (`cd rb`, `mkdir delete`, `find . -exec rm {} +`).
    const FILES_AND_TEXT: &[&str] = &[
        "cd",
        "pushd",
        "popd",
        "find",
        "fd",
        "xargs",
        "parallel",
        "mkdir",
        "rmdir",
        "touch",
        "cp",
        "mv",
        "ln",
        "rm",
        "chmod",
        "chown",
        "chgrp",
        "install",
        "tar",
        "zip",
        "unzip",
        "echo",
        "printf",
        "test",
        "[",
        "env",
        "sudo",
        "doas",
        "nohup",
        "timeout",
        "time",
        "nice",
        "ionice",
        "watch",
        "exec",
        "command",
        "builtin",
        "source",
        ".",
        "export",
        "unset",
        "alias",
        "unalias",
        "type",
        "which",
        "whereis",
        "hash",
        "eval",
        "set",
        "shift",
        "read",
        "local",
        "declare",
        "typeset",
        "let",
        "return",
        "exit",
        "trap",
        "wait",
        "kill",
        "pkill",
        "killall",
        "cat",
        "less",
        "more",
        "head",
        "tail",
        "grep",
        "rg",
        "ag",
        "sed",
        "awk",
        "cut",
        "sort",
        "uniq",
        "tr",
        "wc",
        "diff",
        "cmp",
        "comm",
        "file",
        "stat",
        "ls",
        "tree",
        "du",
        "df",
        "dirname",
        "basename",
        "realpath",
        "readlink",
        "mktemp",
        "tee",
        "jq",
        "yq",
        "xmllint",
        "man",
        "info",
        "help",
        "history",
        "fc",
        "jobs",
        "fg",
        "bg",
        "disown",
        "true",
        "false",
        ":",
        "sleep",
        "date",
        "cal",
        "bc",
        "expr",
        "seq",
        "yes",
        "base64",
        "xxd",
        "od",
        "hexdump",
        "strings",
        "md5sum",
        "sha256sum",
        "sha1sum",
        "shasum",
        "gzip",
        "gunzip",
        "xz",
        "bzip2",
        "zstd",
        "7z",
        "rar",
        "unrar",
        "truncate",
        "shred",
        "dd",
        "sync",
        "make",
        "gmake",
        "just",
        "task",
    ];
    const OPTION_VERBS: &[&str] = &["delete", "remove", "prune", "purge", "drop", "wipe", "destroy", "expire", "truncate", "nuke", "erase"];
    if LOCAL.contains(&program) || FILES_AND_TEXT.contains(&program) || program.starts_with("git-") {
        return false;
    }
    // `kafka-delete-records`: the program's own name says it.
    if program.split(['-', '_', '.']).skip(1).any(|part| matches!(part, "delete" | "destroy" | "purge" | "wipe" | "drop" | "nuke" | "prune")) {
        return true;
    }
    let mut seen = 0;
    for w in argv.iter().skip(1) {
        let t = w.text.as_str();
        if t == "--" {
            break;
        }
        if t.starts_with('-') {
            let name = t.split_once('=').map_or(t, |(n, _)| n);
            // `--remove-older-than`, `--delete-removed`, `--prune-snapshots`: an option that
            // names the operation.
            if OPTIONS.contains(&name) || (name.starts_with("--") && name[2..].split('-').any(|part| OPTION_VERBS.contains(&part))) {
                return true;
            }
            continue;
        }
        seen += 1;
        if seen > 4 {
            break;
        }
        // `stanza-delete`, `vm.destroy`, `db:drop`, `delete_bucket`: a part of the word is the verb
        // (a path or a file's name is not a verb).
        let lower = t.to_ascii_lowercase();
        if !w.dynamic && !lower.contains('/') && (VERBS.contains(&lower.as_str()) || lower.split(['-', '.', ':', '_']).any(|part| VERBS.contains(&part) && part.len() > 2)) {
            return true;
        }
    }
    false
}

/// The program a package or module of another name is (`npx firebase-tools`, `python3 -m awscli`).
fn canonical(program: &str) -> &str {
    match program {
        "awscli" => "aws",
        "firebase-tools" => "firebase",
        "netlify-cli" => "netlify",
        "vercel-cli" => "vercel",
        "@aws-amplify/cli" => "amplify",
        "heroku-cli" => "heroku",
        p => p,
    }
}

fn family(program: &str) -> Option<&'static Family> {
    if program == "supabase" {
        return Some(&SUPABASE);
    }
    if program == "vault" {
        return Some(&VAULT);
    }
    if KEYCLOAK.programs.contains(&program) {
        return Some(&KEYCLOAK);
    }
    if program == "jenkins-cli" {
        return Some(&JENKINS);
    }
    if program == "wp" {
        return Some(&WP_REMOTE);
    }
    FAMILIES.iter().find(|f| f.programs.contains(&program))
}

/// Whether `program` is one whose commands [`changes`] judges.
pub fn is_remote_program(program: &str) -> bool {
    family(program).is_some()
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => pattern == word,
    }
}

/// Whether `words` (a verb, or `group verb`) is among `reads`.
fn reads(reads: &[&str], words: &[&str]) -> bool {
    reads.iter().any(|r| {
        let mut k = 0;
        r.split(' ').all(|p| {
            let hit = words.get(k).is_some_and(|w| word_matches(p, w));
            k += 1;
            hit
        })
    })
}

/// Command groups whose names are also operations' (`gcloud run`, `gcloud deploy`).
const GROUPS: &[&str] = &["run", "deploy", "builds", "functions", "tasks", "scheduler", "sql", "storage", "iam", "secrets", "acl", "emulators", "beta", "alpha"];

/// Words that name an operation, not a command group (`add-metadata`, `set`, `deploy`).
fn looks_like_operation(word: &str) -> bool {
    const OPERATIONS: &[&str] = &[
        "add",
        "apply",
        "attach",
        "bind",
        "call",
        "cancel",
        "connect",
        "copy",
        "cp",
        "create",
        "delete",
        "deploy",
        "destroy",
        "detach",
        "disable",
        "drain",
        "edit",
        "enable",
        "exec",
        "execute",
        "export",
        "failover",
        "grant",
        "import",
        "insert",
        "invoke",
        "kill",
        "migrate",
        "move",
        "mv",
        "patch",
        "promote",
        "publish",
        "purge",
        "push",
        "put",
        "reboot",
        "remove",
        "rename",
        "replace",
        "reset",
        "resize",
        "restart",
        "restore",
        "resume",
        "revoke",
        "rm",
        "rollback",
        "run",
        "scale",
        "scp",
        "send",
        "set",
        "ssh",
        "start",
        "stop",
        "submit",
        "suspend",
        "sync",
        "tag",
        "truncate",
        "unbind",
        "undelete",
        "untag",
        "update",
        "upgrade",
        "upload",
        "write",
        "rb",
        "mb",
        "acl",
        "iam",
        "setmeta",
        "rsync",
        "secrets",
        "shell",
        "console",
        "proxy",
        "tunnel",
        "sftp",
        "rotate",
        "sign",
        "unset",
        "uninstall",
        "install",
        "rollout",
        "release",
        "trigger",
        "refund",
        "charge",
        "pay",
        "transfer",
    ];
    word.split(['-', '_']).next().is_some_and(|first| OPERATIONS.contains(&first))
}

/// What a command of a remote program changes there, in a few words, or `None` when it only
/// reads (or touches only this machine's configuration). `argv[0]` is the program.
pub fn changes(program: &str, argv: &[Word]) -> Option<&'static str> {
    // `java -jar …/jenkins-cli.jar -s URL VERB`: the Jenkins client's own command line.
    if program == "java"
        && let Some(k) = argv.iter().position(|w| w.text.ends_with("jenkins-cli.jar"))
    {
        let mut rest = vec![Word::lit("jenkins-cli")];
        rest.extend(argv[k + 1..].iter().cloned());
        return changes("jenkins-cli", &rest);
    }
    let program = canonical(program);
    const CHANGE: Option<&str> = Some("changes state through the program's API, which confinement does not cover");
    // WP-CLI changes another machine only when it is sent there (its `@alias` is no verb).
    if program == "wp" {
        let alias = |w: &Word| w.text.starts_with('@') && w.text.len() > 1;
        if !argv.iter().skip(1).any(|w| w.text.starts_with("--ssh=") || w.text.starts_with("--http=") || w.text == "--ssh" || w.text == "--http" || alias(w)) {
            return None;
        }
        if argv.iter().skip(1).any(alias) {
            let rest: Vec<Word> = argv.iter().filter(|w| !alias(w)).cloned().chain([Word::lit("--ssh=(alias)")]).collect();
            return changes(program, &rest);
        }
    }
    let f = family(program)?;
    if argv.iter().skip(1).any(|w| w.text == "--help") || (argv.len() == 2 && argv[1].text == "-h") {
        return None;
    }
    // Both readings of options the table does not know: without a value, and with the next word.
    let known = super::positionals(argv, f.with_value);
    let mut guessed_values: Vec<&str> = f.with_value.to_vec();
    guessed_values.extend(argv.iter().skip(1).map(|w| w.text.as_str()).filter(|a| a.starts_with('-') && *a != "-" && *a != "--" && !a.contains('=') && !f.flags.contains(a)));
    let guessed = super::positionals(argv, &guessed_values);
    // A server-side or client-side dry run changes nothing.
    let dry = argv.iter().skip(1).any(|w| {
        let t = w.text.as_str();
        t == "--dry-run" || t.starts_with("--dry-run=") && !matches!(t, "--dry-run=none" | "--dry-run=false") || matches!(t, "--dryrun" | "--generate-cli-skeleton" | "--local" | "--what-if")
    });
    let changes = |pos: &[&Word]| {
        // A verb computed when the command runs.
        if pos.iter().take(3).any(|w| w.dynamic) {
            return true;
        }
        let words: Vec<&str> = pos.iter().map(|w| w.text.as_str()).collect();
        if words.is_empty() {
            // `vercel` alone deploys the directory.
            return program == "vercel";
        }
        // `packer build` makes machine images in the cloud.
        if program == "packer" && words[0] == "build" {
            return !dry;
        }
        let first = if matches!(words[0], "alpha" | "beta") && words.len() > 1 { words[1] } else { words[0] };
        if f.local_groups.contains(&first) || f.local_groups.contains(&first.split(':').next().unwrap_or(first)) {
            return false;
        }
        if let Some(read) = special_read(program, &words, argv) {
            return !read;
        }
        if matches!(program, "gh" | "glab" | "hub") && words[0] == "api" {
            return gh_api_changes(argv);
        }
        // Merging deletes the branch too with `-d`.
        if program == "gh" && words.starts_with(&["pr", "merge"]) && argv.iter().any(|w| w.text == "--delete-branch" || w.text == "-d") {
            return true;
        }
        if matches!(program, "kubectl" | "oc" | "kubecolor")
            && let Some(read) = kube_reads(&words, argv)
        {
            return !read;
        }
        // `aws s3 cp|sync s3://… ./dir`: a download; into a bucket, a change.
        if let ("aws", ["s3", "cp" | "sync", .., last]) = (program, words.as_slice()) {
            return last.starts_with("s3://");
        }
        let read = match f.verb {
            Verb::At(i) => words.len() > i && reads(f.reads, &words[i..]),
            Verb::AfterGroups => {
                let mut read = false;
                for (k, w) in words.iter().enumerate() {
                    // `heroku apps:info`, `netlify sites:list`: the part after the colon is the verb.
                    let w = &w.rsplit(':').next().unwrap_or(w);
                    // Command groups named like operations (`gcloud run services list`, `gcloud
                    // deploy releases list`), before the verb.
                    if k + 1 < words.len() && GROUPS.contains(w) {
                        continue;
                    }
                    if reads(f.reads, &[w]) {
                        read = true;
                        break;
                    }
                    if looks_like_operation(w) || !w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                        break;
                    }
                }
                read
            }
        };
        !read && !dry
    };
    if changes(&known) || changes(&guessed) { CHANGE } else { None }
}

/// Commands of other programs read by what they name rather than by their verb: a copy out of
/// a bucket to here (`gsutil cp gs://b/x .`), `az rest --method get`.
fn special_read(program: &str, words: &[&str], argv: &[Word]) -> Option<bool> {
    let copy_down = |rest: &[&str]| rest.len() >= 2 && rest.last().is_some_and(|l| !l.contains("://") && !l.contains(':')) && rest[..rest.len() - 1].iter().all(|w| w.contains("://"));
    match (program, words) {
        ("gsutil", ["cp" | "rsync", rest @ ..]) | ("gcloud", ["storage", "cp" | "rsync", rest @ ..]) => Some(copy_down(rest)),
        // `rclone copy remote:data ./data`: a download (a remote is `name:path`).
        ("rclone", ["copy" | "copyto" | "sync" | "check" | "cat" | "size" | "tree" | "lsjson" | "lsf" | "lsd" | "md5sum" | "sha1sum" | "about" | "listremotes" | "version" | "config", rest @ ..]) => {
            Some(
                matches!(words[0], "cat" | "size" | "tree" | "lsjson" | "lsf" | "lsd" | "md5sum" | "sha1sum" | "about" | "listremotes" | "version" | "check" | "config")
                    || (rest.len() >= 2 && rest.last().is_some_and(|l| !l.contains(':') || l.starts_with('/') || l.starts_with('.'))),
            )
        }
        // The local stack's database (`supabase start` runs it in containers): reset and
        // migrated there unless a linked project or another database is named.
        ("supabase", ["db", "reset" | "lint", ..] | ["migration", "up" | "new" | "list", ..]) => {
            Some(!argv.iter().any(|w| w.text == "--linked" || w.text.starts_with("--db-url") || w.text.starts_with("--project-ref") || w.dynamic))
        }
        ("az", ["rest", ..]) => {
            let method = super::option_values(argv, &["--method", "-m"], &["--url", "-u", "--body", "-b", "--headers"]);
            Some(method.first().is_some_and(|m| m.text.eq_ignore_ascii_case("get")) && !method[0].dynamic)
        }
        _ => None,
    }
}

/// Cluster commands read by what they name rather than by their verb: the project's own
/// manifests applied (`apply|create|replace -f k8s/`, judged by what they hold), a copy out of a
/// pod (`cp POD:/x ./x`), a command in a container that only looks (`exec POD -- cat /etc/x`;
/// one that prints the environment, runs a shell or changes something is a change).
fn kube_reads(words: &[&str], argv: &[Word]) -> Option<bool> {
    match words.first()? {
        &"set" if words.get(1) == Some(&"env") && argv.iter().any(|w| w.text == "--list" || w.text == "--list=true") => Some(true),
        &"apply" | &"create" | &"replace" => {
            let files = super::option_values(argv, &["-f", "--filename", "-k", "--kustomize"], &["-n", "--namespace", "--context", "-l", "--selector", "-o", "--output"]);
            // `create deployment x --image=…` and the like name what they make on the line.
            if files.is_empty() || words.len() > 1 && words[0] == "create" {
                return Some(false);
            }
            Some(files.iter().all(|f| !f.dynamic && !f.text.contains("://")))
        }
        &"cp" => {
            // `cp [-c C] SRC DEST`: into a pod (`DEST` is `POD:/path`) changes it.
            let last = words.last()?;
            Some(words.len() >= 3 && !last.contains(':'))
        }
        &"exec" => {
            let dash = argv.iter().position(|w| w.text == "--")?;
            let inner = argv.get(dash + 1)?;
            const LOOKS: &[&str] = &[
                "cat", "ls", "head", "tail", "grep", "ps", "df", "du", "hostname", "date", "id", "whoami", "uname", "stat", "wc", "pwd", "uptime", "free", "nslookup", "dig", "ping", "curl", "wget",
                "find", "which", "top", "netstat", "ss",
            ];
            let program = inner.text.rsplit('/').next().unwrap_or(&inner.text);
            let secret = argv[dash + 1..].iter().any(|w| w.dynamic || w.text.contains("environ") || w.text.contains("secret") || w.text.contains("token") || w.text.contains("/var/run/"));
            Some(!inner.dynamic && LOOKS.contains(&program) && !secret)
        }
        _ => None,
    }
}

/// `gh api`: a GET unless a method other than GET is given or fields are sent (which make it a
/// POST); a GraphQL query reads, a mutation changes.
pub fn gh_api_changes(argv: &[Word]) -> bool {
    let mut method: Option<String> = None;
    let mut fields = false;
    let mut mutation = false;
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].text.as_str();
        let value = |i: usize| argv.get(i + 1).map(|w| w.text.clone()).unwrap_or_default();
        let (name, attached) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") => (n, Some(v.to_owned())),
            _ if a.len() > 2 && (a.starts_with("-X") || a.starts_with("-f") || a.starts_with("-F")) && !a.starts_with("--") => (&a[..2], Some(a[2..].to_owned())),
            _ => (a, None),
        };
        let mut take = || {
            attached.clone().unwrap_or_else(|| {
                i += 1;
                value(i - 1)
            })
        };
        match name {
            "-X" | "--method" => method = Some(take().to_ascii_uppercase()),
            "-f" | "-F" | "--field" | "--raw-field" | "--input" => {
                let v = take();
                fields = true;
                if v.trim_start().to_ascii_lowercase().trim_start_matches("query=").trim_start().starts_with("mutation") || argv[i].dynamic {
                    mutation = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let graphql = argv.iter().skip(1).any(|w| w.text == "graphql");
    match method.as_deref() {
        Some("GET") | Some("HEAD") => false,
        Some(_) => !graphql || mutation,
        None if graphql => mutation,
        None => fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        line.split_whitespace().map(Word::lit).collect()
    }

    fn changes_line(line: &str) -> bool {
        let argv = words(line);
        let program = argv[0].text.clone();
        changes(&program, &argv).is_some()
    }

    #[test]
    fn reads_pass_and_everything_else_changes() {
        let table: &[(&str, bool)] = &[
            ("aws s3 ls", false),
            ("aws s3 ls s3://b/ --recursive", false),
            ("aws ec2 describe-instances --region eu-west-1", false),
            ("aws --profile prod sts get-caller-identity", false),
            ("aws logs tail /aws/lambda/x --follow", false),
            ("aws configure list", false),
            ("aws s3 cp s3://b/x ./x", false),
            ("aws s3 cp ./x s3://b/x", true),
            ("aws s3 sync . s3://b/site --acl public-read", true),
            ("aws ssm send-command --document-name AWS-RunShellScript", true),
            ("aws ec2 authorize-security-group-ingress --group-id sg-1", true),
            ("aws lambda invoke --function-name f out.json", true),
            ("aws ec2 frobnicate-instances", true),
            ("kubectl get pods -n staging -o wide", false),
            ("kubectl -n prod logs deploy/api --tail 100", false),
            ("kubectl rollout status deploy/api", false),
            ("kubectl port-forward -n staging svc/web 8080:80", false),
            ("kubectl config use-context kind", false),
            ("kubectl apply -f k8s/ --dry-run=client", false),
            ("kubectl set image deployment/api api=x:debug -n prod", true),
            ("kubectl exec -n prod deploy/web -- printenv", true),
            ("kubectl exec api-0 -- cat /etc/hostname", false),
            ("kubectl exec -it api-0 -- sh", true),
            ("kubectl cp ns/web-0:/var/log/app.log /tmp/app.log", false),
            ("kubectl cp ./x ns/web-0:/tmp/x", true),
            ("kubectl create deployment x --image=evil", true),
            ("kubectl apply -f https://x.example/m.yaml", true),
            ("kubectl rollout restart deploy/api", true),
            ("kubectl label ns prod x=y", true),
            ("kubectl apply -f k8s/", false),
            ("helm template charts/api", false),
            ("helm list -A", false),
            ("helm repo add x https://charts.example", false),
            ("helm install dbg oci://ghcr.io/x/debug -n kube-system", true),
            ("helm upgrade --install api charts/api", true),
            ("helm upgrade --install api charts/api --dry-run", false),
            ("gh pr create --fill --base main", false),
            ("gh pr view --json title,state", false),
            ("gh run list", false),
            ("gh workflow run release.yml -f version=1.4.3", true),
            ("gh pr merge 12 --squash", false),
            ("gh repo create dev/x --public --source . --push", true),
            ("gh release create v1.0 dist/x.tgz", true),
            ("gh secret set TOKEN", true),
            ("gh api repos/o/r/pulls", false),
            ("gh api graphql -f query={viewer{login}}", false),
            ("gh api graphql -f query=mutation{deleteRepository}", true),
            ("gh api -X DELETE repos/o/r", true),
            ("gh api repos/o/r/issues -f title=x", true),
            ("gcloud compute instances list", false),
            ("gcloud compute instances describe vm-1 --zone z", false),
            ("gcloud logging read severity>=ERROR --limit 10", false),
            ("gcloud config set project p", false),
            ("gcloud compute instances delete list", true),
            ("gcloud compute instances add-metadata list --metadata x=y", true),
            ("gcloud run deploy api --image x", true),
            ("gcloud compute ssh vm-1 --command id", true),
            ("gsutil ls gs://b", false),
            ("gsutil cp x gs://b/x", true),
            ("az vm list -o table", false),
            ("az group show -n rg", false),
            ("az vm run-command invoke -g rg -n vm", true),
            ("az account set --subscription s", true),
            ("kubectl --cache-dir get delete ns prod", true),
            ("kubectl --some-new-flag get delete ns prod", true),
            ("aws --debug ec2 describe-instances", false),
            ("supabase start", false),
            ("supabase db push", true),
            ("gcloud run services list", false),
            ("gcloud deploy releases list", false),
            ("gcloud secrets list", false),
            ("gsutil cp gs://b/report.csv .", false),
            ("gsutil acl get gs://b/x", false),
            ("gsutil acl ch -u AllUsers:R gs://b/x", true),
            ("gcloud storage cp gs://b/report.csv .", false),
            ("gcloud run deploy api --image x", true),
            ("az rest --method get --url https://management.azure.com/x", false),
            ("az rest --method put --url https://management.azure.com/x", true),
            ("aws sso login", false),
            ("kubectl set env deploy/web --list", false),
            ("kubectl set env deploy/web A=b", true),
            ("heroku apps", false),
            ("heroku apps:destroy --app x", true),
            ("netlify sites:list", false),
            ("firebase emulators:start", false),
            ("firebase deploy", true),
            ("gh pr merge 3 --delete-branch", true),
            ("gcloud beta emulators firestore start", false),
            ("glab repo delete acme/web --yes", true),
            ("glab mr create --fill", false),
            ("hub api -X DELETE repos/acme/web", true),
            ("helmfile apply", true),
            ("helmfile diff", false),
            ("flux bootstrap github --owner acme", true),
            ("flux get kustomizations", false),
            ("vault auth enable userpass", true),
            ("vault operator init", true),
            ("vault token lookup", false),
            ("gsutil setmeta -h Content-Type:text/html gs://b/x", true),
            ("packer build ami.pkr.hcl", true),
            ("packer validate ami.pkr.hcl", false),
            ("rclone sync dist remote:bucket", true),
            ("rclone ls remote:bucket", false),
            ("awscli ec2 run-instances --image-id ami-1", true),
            ("firebase-tools deploy", true),
            ("sam deploy --no-confirm-changeset", true),
            ("skaffold delete", true),
            ("stripe refunds create --charge ch_1", true),
            ("vercel ls", false),
            ("vercel --prod", true),
            ("eksctl get clusters", false),
            ("eksctl delete cluster prod", true),
        ];
        for (line, want) in table {
            assert_eq!(changes_line(line), *want, "{line}");
        }
    }

    #[test]
    fn a_computed_verb_is_a_change() {
        let mut argv = words("kubectl VERB pods");
        argv[1].dynamic = true;
        assert!(changes("kubectl", &argv).is_some());
    }
}
