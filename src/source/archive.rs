//! Archives read in memory: zip, 7z, tar, and gzip, xz and zstd streams (tar.gz, tar.xz,
//! tar.zst...), nested up to a depth, with limits against decompression bombs. Members go
//! back through dispatch as `archive!member`.

use std::io::{Cursor, Read};
use std::sync::Arc;

use super::{Context, route};
use crate::origin::Origin;
use crate::sink::Sink;

/// Nested archives deeper than this are skipped with a warning.
pub const MAX_DEPTH: u32 = 3;
/// Total decompressed bytes read out of one top-level archive.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Largest member read into memory.
pub const MAX_MEMBER_BYTES: u64 = 512 << 20;
/// Members read out of one archive.
pub const MAX_MEMBERS: usize = 100_000;
/// Decompressed size over compressed size beyond which a member is treated as a bomb.
pub const MAX_RATIO: u64 = 200;

/// The kinds of archive keytrail opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    SevenZ,
    Tar,
    Gzip,
    Xz,
    Zstd,
}

impl Kind {
    /// The name in messages, and the file extension a compressed stream's member loses.
    fn name(self) -> &'static str {
        match self {
            Kind::Zip => "zip",
            Kind::SevenZ => "7z",
            Kind::Tar => "tar",
            Kind::Gzip => "gz",
            Kind::Xz => "xz",
            Kind::Zstd => "zst",
        }
    }
}

/// Recognises an archive by its magic bytes.
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::Gzip)
    } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        Some(Kind::SevenZ)
    } else if bytes.starts_with(b"\xFD7zXZ\x00") {
        Some(Kind::Xz)
    } else if bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Some(Kind::Zstd)
    } else if bytes.len() >= 512 && (&bytes[257..262] == b"ustar" || tar_checksum_ok(&bytes[..512])) {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// An old (v7) tar header has no magic: its checksum field is the only sign.
fn tar_checksum_ok(h: &[u8]) -> bool {
    let field = &h[148..156];
    let digits: String = field.iter().take_while(|&&b| b != 0 && b != b' ').map(|&b| b as char).collect();
    let Ok(want) = u32::from_str_radix(digits.trim(), 8) else { return false };
    let sum: u32 = h.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { b as u32 }).sum();
    want == sum && h[0] != 0
}

/// Bytes left for one top-level archive, shared by its nested archives.
pub struct Budget {
    left: std::cell::Cell<u64>,
}

impl Budget {
    pub fn new() -> Budget {
        Budget { left: std::cell::Cell::new(MAX_TOTAL_BYTES) }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new()
    }
}

fn member_origin(archive: &Arc<Origin>, name: &str) -> Arc<Origin> {
    Arc::new(Origin::ArchiveMember { archive: Arc::clone(archive), member: name.to_string() })
}

/// Reads up to `limit` bytes; `Err` names the limit that was hit.
fn read_limited(r: impl Read, limit: u64, buf: &mut Vec<u8>) -> Result<(), String> {
    buf.clear();
    let mut take = r.take(limit + 1);
    take.read_to_end(buf).map_err(|e| e.to_string())?;
    if buf.len() as u64 > limit {
        return Err(format!("decompresses to more than {limit} bytes"));
    }
    Ok(())
}

/// Opens an archive and routes each member. Problems are warnings naming the archive.
pub fn read(sink: &Sink<'_>, origin: &Arc<Origin>, bytes: &[u8], kind: Kind, ctx: &Context<'_>) {
    let shown = origin.display_path();
    if ctx.depth >= MAX_DEPTH {
        sink.warn(shown, format!("archive nested deeper than {MAX_DEPTH} levels: not opened"));
        return;
    }
    let budget_owned;
    let budget = match ctx.budget {
        Some(b) => b,
        None => {
            budget_owned = Budget::new();
            &budget_owned
        }
    };
    let inner = Context { depth: ctx.depth + 1, budget: Some(budget), ..ctx.clone() };
    match kind {
        Kind::Zip => read_zip(sink, origin, bytes, &inner, budget),
        Kind::Tar => read_tar(sink, origin, Cursor::new(bytes), &inner, budget),
        Kind::SevenZ => read_7z(sink, origin, bytes, &inner, budget),
        Kind::Gzip | Kind::Xz | Kind::Zstd => read_stream(sink, origin, bytes, kind, &inner, budget),
    }
}

fn spend(sink: &Sink<'_>, shown: &str, budget: &Budget, n: u64) -> bool {
    if n > budget.left.get() {
        sink.warn(
            shown.to_string(),
            format!("archive expands past {MAX_TOTAL_BYTES} bytes in all: the rest is not read"),
        );
        budget.left.set(0);
        return false;
    }
    budget.left.set(budget.left.get() - n);
    true
}

fn read_zip(sink: &Sink<'_>, origin: &Arc<Origin>, bytes: &[u8], ctx: &Context<'_>, budget: &Budget) {
    let shown = origin.display_path();
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            sink.warn(shown, format!("unreadable zip archive: {e}"));
            return;
        }
    };
    if zip.len() > MAX_MEMBERS {
        sink.warn(shown.clone(), format!("{} members: only the first {MAX_MEMBERS} are read", zip.len()));
    }
    // A Slack export: users.json gives display names for every channel file.
    let mut ctx = ctx.clone();
    if let Some(b) = find_member(&mut zip, "users.json") {
        ctx.slack_users = Some(Arc::new(super::chat::slack::parse_users(&b)));
    }
    let mut buf = Vec::new();
    for i in 0..zip.len().min(MAX_MEMBERS) {
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                sink.warn(format!("{shown}!#{i}"), format!("unreadable zip member: {e}"));
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let name = file.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("#{i}"));
        let member = format!("{shown}!{name}");
        let (size, packed) = (file.size(), file.compressed_size().max(1));
        if size > MAX_MEMBER_BYTES || (size > 1 << 20 && size / packed > MAX_RATIO) {
            sink.warn(member, format!("zip bomb? {size} bytes from {packed} compressed: not read"));
            continue;
        }
        if !spend(sink, &shown, budget, size) {
            return;
        }
        if let Err(e) = read_limited(&mut file, size.min(MAX_MEMBER_BYTES), &mut buf) {
            sink.warn(member, format!("unreadable zip member: {e}"));
            continue;
        }
        count_bytes(sink, buf.len());
        route(sink, member_origin(origin, &name), &buf, &ctx);
    }
}

fn find_member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, base: &str) -> Option<Vec<u8>> {
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let name = names.iter().filter(|n| *n == base || n.ends_with(&format!("/{base}"))).min_by_key(|n| n.len())?;
    let mut f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    read_limited(&mut f, 64 << 20, &mut buf).ok()?;
    Some(buf)
}

fn count_bytes(sink: &Sink<'_>, n: usize) {
    super::Stats::add(&sink.stats.bytes, n as u64);
}

fn read_tar<R: Read>(sink: &Sink<'_>, origin: &Arc<Origin>, reader: R, ctx: &Context<'_>, budget: &Budget) {
    let shown = origin.display_path();
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            sink.warn(shown, format!("unreadable tar archive: {e}"));
            return;
        }
    };
    let mut buf = Vec::new();
    let mut count = 0usize;
    let mut ctx = ctx.clone();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                sink.warn(shown.clone(), format!("truncated or corrupt tar archive: {e}"));
                return;
            }
        };
        count += 1;
        if count > MAX_MEMBERS {
            sink.warn(shown.clone(), format!("more than {MAX_MEMBERS} members: the rest is not read"));
            return;
        }
        if !entry.header().entry_type().is_file() {
            continue;
        }
        // Names are only labels here (nothing is extracted), so `../` cannot escape anything.
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let size = entry.size();
        if size > MAX_MEMBER_BYTES {
            sink.warn(format!("{shown}!{name}"), format!("{size} bytes: member too large, not read"));
            continue;
        }
        if !spend(sink, &shown, budget, size) {
            return;
        }
        if let Err(e) = read_limited(&mut entry, MAX_MEMBER_BYTES, &mut buf) {
            sink.warn(format!("{shown}!{name}"), format!("unreadable tar member: {e}"));
            continue;
        }
        count_bytes(sink, buf.len());
        if name == "users.json" || name.ends_with("/users.json") {
            ctx.slack_users = Some(Arc::new(super::chat::slack::parse_users(&buf)));
        }
        route(sink, member_origin(origin, &name), &buf, &ctx);
    }
}

/// A compressed stream (gzip, xz, zstd): one member, or a tar archive inside.
fn read_stream(sink: &Sink<'_>, origin: &Arc<Origin>, bytes: &[u8], kind: Kind, ctx: &Context<'_>, budget: &Budget) {
    let shown = origin.display_path();
    let limit = (bytes.len() as u64).saturating_mul(MAX_RATIO).clamp(1 << 20, MAX_MEMBER_BYTES);
    let mut out = Vec::new();
    let read = match kind {
        Kind::Xz => read_limited(lzma_rust2::XzReader::new(bytes, true), limit, &mut out),
        Kind::Zstd => read_zstd(bytes, limit, &mut out),
        _ => read_limited(flate2::read::MultiGzDecoder::new(bytes), limit, &mut out),
    };
    if let Err(e) = read {
        sink.warn(shown, format!("{}: {e}", kind.name()));
        return;
    }
    if !spend(sink, &shown, budget, out.len() as u64) {
        return;
    }
    count_bytes(sink, out.len());
    if detect(&out) == Some(Kind::Tar) {
        read_tar(sink, origin, Cursor::new(&out[..]), ctx, budget);
        return;
    }
    let base = shown.rsplit(['/', '!']).next().unwrap_or(&shown);
    let name = match kind {
        Kind::Zstd => base.strip_suffix(".zst").or_else(|| base.strip_suffix(".zstd")),
        _ => base.strip_suffix(&format!(".{}", kind.name())),
    };
    route(sink, member_origin(origin, name.unwrap_or(base)), &out, ctx);
}

/// Every frame of a zstd stream (a file may hold several, concatenated), up to `limit` bytes.
fn read_zstd(mut bytes: &[u8], limit: u64, out: &mut Vec<u8>) -> Result<(), String> {
    out.clear();
    let mut frame = Vec::new();
    while !bytes.is_empty() {
        let decoder = ruzstd::decoding::StreamingDecoder::new(&mut bytes).map_err(|e| e.to_string())?;
        read_limited(decoder, limit - out.len() as u64, &mut frame)?;
        out.extend_from_slice(&frame);
    }
    Ok(())
}

/// A 7z archive: sizes are checked from its header before anything is decoded.
fn read_7z(sink: &Sink<'_>, origin: &Arc<Origin>, bytes: &[u8], ctx: &Context<'_>, budget: &Budget) {
    let shown = origin.display_path();
    // The decoder is not ours: a panic on a hostile archive becomes a warning, not a crash.
    let opened = std::panic::catch_unwind(|| {
        sevenz_rust2::ArchiveReader::new(Cursor::new(bytes), sevenz_rust2::Password::empty())
    });
    let mut reader = match opened {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            sink.warn(shown, format!("unreadable 7z archive: {e}"));
            return;
        }
        Err(_) => {
            sink.warn(shown, "unreadable 7z archive: malformed header");
            return;
        }
    };
    let files = &reader.archive().files;
    if files.len() > MAX_MEMBERS {
        sink.warn(shown, format!("{} members: more than {MAX_MEMBERS}, not read", files.len()));
        return;
    }
    let total: u64 = files.iter().map(|f| f.size()).fold(0, u64::saturating_add);
    let packed = bytes.len().max(1) as u64;
    if total > 1 << 20 && total / packed > MAX_RATIO {
        sink.warn(shown, format!("7z bomb? {total} bytes from {packed} compressed: not read"));
        return;
    }
    if !spend(sink, &shown, budget, total) {
        return;
    }
    let mut buf = Vec::new();
    let each = |entry: &sevenz_rust2::ArchiveEntry, data: &mut dyn Read| {
        if entry.is_directory() {
            return Ok(true);
        }
        let name = entry.name().to_string();
        let member = format!("{shown}!{name}");
        if entry.size() > MAX_MEMBER_BYTES {
            sink.warn(member, format!("{} bytes: member too large, not read", entry.size()));
            std::io::copy(data, &mut std::io::sink())?;
            return Ok(true);
        }
        match read_limited(data, entry.size().min(MAX_MEMBER_BYTES), &mut buf) {
            Ok(()) => {
                count_bytes(sink, buf.len());
                route(sink, member_origin(origin, &name), &buf, ctx);
            }
            Err(e) => sink.warn(member, format!("unreadable 7z member: {e}")),
        }
        Ok(true)
    };
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.for_each_entries(each)));
    match decoded {
        Ok(Ok(())) => {}
        Ok(Err(e)) => sink.warn(shown, format!("unreadable 7z archive: {e}")),
        Err(_) => sink.warn(shown, "unreadable 7z archive: corrupt data"),
    }
}
