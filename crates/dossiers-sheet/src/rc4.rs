//! Decryption of `.xls` workbooks "protected" with Excel's default password.
//!
//! Excel encrypts a write-protected workbook with RC4 under the fixed password `VelvetSweatshop`,
//! and opens it without a prompt; so does LibreOffice. Such a file is not secret, and reading it
//! is what a user expects. This module implements the one scheme this needs ([MS-OFFCRYPTO]
//! 2.3.6, "RC4 encryption" 1.1: MD5 key derivation, RC4 rekeyed every 1024 bytes, [MS-XLS]
//! 2.2.10 for which bytes stay in clear). MD5 and RC4 are written out here (a few dozen lines)
//! rather than pulled in as dependencies. Any other password or scheme stays `encrypted`.

/// The password Excel uses when the user gave none.
const DEFAULT_PASSWORD: &str = "VelvetSweatshop";

/// Records that are never encrypted ([MS-XLS] 2.2.10): BOF, FILEPASS, UsrExcl, FileLock,
/// InterfaceHdr, RRDInfo, RRDHead.
const CLEAR_RECORDS: [u16; 7] = [0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138];

const BLOCK_BYTES: usize = 1024;

/// Decrypts `stream` in place when `filepass` (the FILEPASS record's data) describes RC4 1.1
/// encryption under the default password. Returns false, leaving the stream untouched, for any
/// other scheme or password.
pub(crate) fn decrypt_default_password(stream: &mut [u8], filepass: &[u8]) -> bool {
    // wEncryptionType = 1 (RC4), then the RC4 header: version 1.1, salt, verifier, its hash.
    let Some(header) = filepass.get(..54) else {
        return false;
    };
    if header.get(..6) != Some(&[1, 0, 1, 0, 1, 0][..]) {
        return false;
    }
    let (Some(salt), Some(verifier), Some(verifier_hash)) =
        (header.get(6..22), header.get(22..38), header.get(38..54))
    else {
        return false;
    };
    let base = intermediate_key(DEFAULT_PASSWORD, salt);
    let mut cipher = Rc4::new(&block_key(&base, 0));
    let mut verifier = verifier.to_vec();
    let mut verifier_hash = verifier_hash.to_vec();
    cipher.apply(&mut verifier);
    cipher.apply(&mut verifier_hash);
    if md5(&verifier).as_slice() != verifier_hash.as_slice() {
        return false;
    }
    let clear = clear_ranges(stream);
    let original: Vec<(usize, Vec<u8>)> = clear
        .iter()
        .filter_map(|range| Some((range.start, stream.get(range.clone())?.to_vec())))
        .collect();
    for (block, chunk) in stream.chunks_mut(BLOCK_BYTES).enumerate() {
        Rc4::new(&block_key(&base, block as u32)).apply(chunk);
    }
    for (start, bytes) in original {
        if let Some(target) = stream.get_mut(start..start + bytes.len()) {
            target.copy_from_slice(&bytes);
        }
    }
    true
}

/// The byte ranges of the stream that were written in clear: every record header, the whole of
/// the records in [`CLEAR_RECORDS`], and the stream offset at the start of each BOUNDSHEET.
fn clear_ranges(stream: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut pos = 0usize;
    while let Some(header) = stream.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([
            header.first().copied().unwrap_or(0),
            header.get(1).copied().unwrap_or(0),
        ]);
        let len = usize::from(u16::from_le_bytes([
            header.get(2).copied().unwrap_or(0),
            header.get(3).copied().unwrap_or(0),
        ]));
        let clear_len = if CLEAR_RECORDS.contains(&typ) {
            4 + len
        } else if typ == 0x0085 {
            4 + len.min(4)
        } else {
            4
        };
        ranges.push(pos..(pos + clear_len).min(stream.len()));
        pos += 4 + len;
    }
    ranges
}

/// The password's MD5, truncated and mixed with the salt ([MS-OFFCRYPTO] 2.3.6.2): the first
/// five bytes of the result are the base of every block key.
fn intermediate_key(password: &str, salt: &[u8]) -> [u8; 16] {
    let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let h0 = md5(&utf16);
    let mut buffer = Vec::with_capacity(16 * 21);
    for _ in 0..16 {
        buffer.extend_from_slice(h0.get(..5).unwrap_or_default());
        buffer.extend_from_slice(salt);
    }
    md5(&buffer)
}

fn block_key(base: &[u8; 16], block: u32) -> [u8; 16] {
    let mut input = Vec::with_capacity(9);
    input.extend_from_slice(base.get(..5).unwrap_or_default());
    input.extend_from_slice(&block.to_le_bytes());
    md5(&input)
}

struct Rc4 {
    state: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    fn new(key: &[u8]) -> Rc4 {
        let mut state = [0u8; 256];
        for (slot, value) in state.iter_mut().zip(0u8..=255) {
            *slot = value;
        }
        let mut j = 0u8;
        for i in 0..256usize {
            let key_byte = key.get(i % key.len().max(1)).copied().unwrap_or(0);
            j = j
                .wrapping_add(state.get(i).copied().unwrap_or(0))
                .wrapping_add(key_byte);
            state.swap(i, usize::from(j));
        }
        Rc4 { state, i: 0, j: 0 }
    }

    fn apply(&mut self, data: &mut [u8]) {
        for byte in data {
            self.i = self.i.wrapping_add(1);
            let si = self.state.get(usize::from(self.i)).copied().unwrap_or(0);
            self.j = self.j.wrapping_add(si);
            self.state.swap(usize::from(self.i), usize::from(self.j));
            let after_i = self.state.get(usize::from(self.i)).copied().unwrap_or(0);
            let after_j = self.state.get(usize::from(self.j)).copied().unwrap_or(0);
            let k = self
                .state
                .get(usize::from(after_i.wrapping_add(after_j)))
                .copied()
                .unwrap_or(0);
            *byte ^= k;
        }
    }
}

/// MD5 (RFC 1321), enough for key derivation over a few hundred bytes.
fn md5(data: &[u8]) -> [u8; 16] {
    const SHIFTS: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    let constants: Vec<u32> = (1..=64u32)
        .map(|i| (f64::from(i).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_le_bytes());
    let mut hash: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for chunk in message.chunks_exact(64) {
        let words: Vec<u32> = chunk
            .chunks_exact(4)
            .map(|w| {
                u32::from_le_bytes([
                    w.first().copied().unwrap_or(0),
                    w.get(1).copied().unwrap_or(0),
                    w.get(2).copied().unwrap_or(0),
                    w.get(3).copied().unwrap_or(0),
                ])
            })
            .collect();
        let [mut a, mut b, mut c, mut d] = hash;
        for (i, constant) in constants.iter().enumerate() {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let shift = SHIFTS.get((i / 16) * 4 + i % 4).copied().unwrap_or(0);
            let f = f
                .wrapping_add(a)
                .wrapping_add(*constant)
                .wrapping_add(words.get(g).copied().unwrap_or(0));
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(shift));
        }
        for (h, v) in hash.iter_mut().zip([a, b, c, d]) {
            *h = h.wrapping_add(v);
        }
    }
    let mut out = [0u8; 16];
    for (slot, byte) in out
        .iter_mut()
        .zip(hash.iter().flat_map(|h| h.to_le_bytes()))
    {
        *slot = byte;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn md5_test_vectors() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        let long =
            b"12345678901234567890123456789012345678901234567890123456789012345678901234567890";
        assert_eq!(hex(&md5(long)), "57edf4a22be3c955ac49da2e2107b67a");
    }

    #[test]
    fn rc4_test_vector() {
        let mut data = b"Plaintext".to_vec();
        Rc4::new(b"Key").apply(&mut data);
        assert_eq!(hex(&data), "bbf316e8d940af0ad3");
    }
}
