//! Bytes to tokens. RTF's lexical layer is small: groups (`{` `}`), control words (`\name`
//! with an optional signed number and an optional space that belongs to the word), control
//! symbols (`\` and one non-letter), hex escapes (`\'hh`), `\binN` followed by N raw bytes, and
//! runs of plain text in which carriage returns and line feeds mean nothing.
//!
//! The lexer never fails: a malformed escape becomes nothing, a number too long is clamped.

/// One lexical unit of an RTF stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Open,
    Close,
    /// `\name` or `\nameN`; the name is 1..=32 ASCII letters.
    Word {
        name: &'a [u8],
        param: Option<i32>,
    },
    /// `\` followed by a non-letter other than `'` (e.g. `\~`, `\-`, `\*`, a newline).
    Symbol(u8),
    /// A `\'hh` escape: one byte in the current code page.
    Hex(u8),
    /// Plain bytes (escaped `\\`, `\{`, `\}` come as one-byte runs).
    Text(&'a [u8]),
    /// The raw bytes of a `\binN`.
    Bin(&'a [u8]),
}

/// Longest control word name the specification allows; longer runs of letters are cut here.
const MAX_NAME: usize = 32;
/// Digits of a parameter beyond which the value is clamped.
const MAX_DIGITS: usize = 10;

#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Lexer<'a> {
        Lexer { bytes, at: 0 }
    }

    /// Where the next token starts, in bytes from the start of the input.
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    pub(crate) fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let byte = self.peek()?;
            match byte {
                b'{' => {
                    self.at += 1;
                    return Some(Token::Open);
                }
                b'}' => {
                    self.at += 1;
                    return Some(Token::Close);
                }
                b'\\' => {
                    self.at += 1;
                    if let Some(token) = self.control() {
                        return Some(token);
                    }
                }
                b'\r' | b'\n' => self.at += 1,
                _ => {
                    let start = self.at;
                    while let Some(b) = self.peek() {
                        if matches!(b, b'{' | b'}' | b'\\' | b'\r' | b'\n') {
                            break;
                        }
                        self.at += 1;
                    }
                    return self.bytes.get(start..self.at).map(Token::Text);
                }
            }
        }
    }

    /// After a backslash. `None` when the escape means nothing (a bad `\'`, a backslash at
    /// the end of the input).
    fn control(&mut self) -> Option<Token<'a>> {
        let first = self.peek()?;
        if first.is_ascii_alphabetic() {
            return Some(self.word());
        }
        self.at += 1;
        match first {
            b'\'' => {
                let high = self.peek().and_then(hex_value)?;
                self.at += 1;
                match self.peek().and_then(hex_value) {
                    Some(low) => {
                        self.at += 1;
                        Some(Token::Hex(high << 4 | low))
                    }
                    // One digit: take it as the whole value, as lenient readers do.
                    None => Some(Token::Hex(high)),
                }
            }
            b'\\' | b'{' | b'}' => {
                let at = self.at - 1;
                self.bytes.get(at..self.at).map(Token::Text)
            }
            b'\r' | b'\n' => Some(Token::Symbol(b'\n')),
            other => Some(Token::Symbol(other)),
        }
    }

    fn word(&mut self) -> Token<'a> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            self.at += 1;
        }
        let end = self.at.min(start + MAX_NAME);
        let name = self.bytes.get(start..end).unwrap_or_default();
        let param = self.parameter();
        if self.peek() == Some(b' ') {
            self.at += 1;
        }
        if name == b"bin" {
            let n = usize::try_from(param.unwrap_or(0)).unwrap_or(0);
            let from = self.at;
            let to = from.saturating_add(n).min(self.bytes.len());
            self.at = to;
            return Token::Bin(self.bytes.get(from..to).unwrap_or_default());
        }
        Token::Word { name, param }
    }

    fn parameter(&mut self) -> Option<i32> {
        let negative = self.peek() == Some(b'-')
            && self
                .bytes
                .get(self.at + 1)
                .is_some_and(|b| b.is_ascii_digit());
        if negative {
            self.at += 1;
        }
        let mut value: i64 = 0;
        let mut digits = 0usize;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            self.at += 1;
            digits += 1;
            if digits <= MAX_DIGITS {
                value = value * 10 + i64::from(b - b'0');
            }
        }
        if digits == 0 {
            return None;
        }
        let value = if negative { -value } else { value };
        Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(input: &str) -> Vec<Token<'_>> {
        let mut lexer = Lexer::new(input.as_bytes());
        std::iter::from_fn(|| lexer.next_token()).collect()
    }

    fn word(name: &str, param: Option<i32>) -> Token<'_> {
        Token::Word {
            name: name.as_bytes(),
            param,
        }
    }

    #[test]
    fn words_symbols_hex_and_text() {
        assert_eq!(
            tokens("{\\rtf1\\ansi Caf\\'e9\r\n au lait\\par}"),
            [
                Token::Open,
                word("rtf", Some(1)),
                word("ansi", None),
                Token::Text(b"Caf"),
                Token::Hex(0xE9),
                Token::Text(b" au lait"),
                word("par", None),
                Token::Close,
            ]
        );
        assert_eq!(
            tokens("\\u-3913?\\~\\{x\\}\\\\"),
            [
                word("u", Some(-3913)),
                Token::Text(b"?"),
                Token::Symbol(b'~'),
                Token::Text(b"{"),
                Token::Text(b"x"),
                Token::Text(b"}"),
                Token::Text(b"\\"),
            ]
        );
    }

    #[test]
    fn bin_takes_its_bytes_raw() {
        assert_eq!(
            tokens("\\bin3 {}\\x"),
            [Token::Bin(b"{}\\"), Token::Text(b"x")]
        );
        // A count past the end takes what is there.
        assert_eq!(tokens("\\bin99 ab"), [Token::Bin(b"ab")]);
        assert_eq!(tokens("\\bin-5 ab"), [Token::Bin(b""), Token::Text(b"ab")]);
    }

    #[test]
    fn malformed_escapes_are_harmless() {
        assert_eq!(tokens("\\'zz"), [Token::Text(b"zz")]);
        assert_eq!(tokens("\\'a"), [Token::Hex(0xA)]);
        assert_eq!(tokens("\\"), []);
        assert_eq!(tokens("\\fs99999999999999"), [word("fs", Some(i32::MAX))]);
    }
}
