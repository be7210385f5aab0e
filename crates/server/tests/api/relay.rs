//! A fake SMTP relay for the tests of both the API and the pages (the
//! pages' test binary includes this file by path): it listens on a
//! loopback port, speaks enough ESMTP for lettre (greeting, EHLO, MAIL,
//! RCPT, DATA, QUIT) and keeps each message it takes; a recipient it is
//! told to refuse gets `550` at RCPT.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message the fake relay took: its envelope recipient and its data.
#[derive(Debug, Clone)]
pub(crate) struct Taken {
    pub(crate) to: String,
    pub(crate) data: String,
}

/// Starts the fake relay; its port and the messages it takes.
pub(crate) async fn fake_relay(refuse: &'static str) -> (u16, Arc<Mutex<Vec<Taken>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let taken = Arc::new(Mutex::new(Vec::new()));
    let keep = taken.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let keep = keep.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 relay.test ESMTP\r\n").await.unwrap();
                let mut to = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-relay.test\r\n250 8BITMIME\r\n",
                        "MAIL" => b"250 OK\r\n",
                        "RCPT" if line.contains(refuse) => b"550 5.1.1 no such mailbox\r\n",
                        "RCPT" => {
                            to = line.trim_start_matches(|c| c != '<').trim_matches(['<', '>']).to_owned();
                            b"250 OK\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(&line);
                                data.push('\n');
                            }
                            keep.lock().unwrap().push(Taken { to: to.clone(), data });
                            b"250 OK queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 OK\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, taken)
}

/// The decoded text of a message as the relay took it (lettre writes
/// non-ASCII text as quoted-printable or base64).
pub(crate) fn decoded(data: &str) -> String {
    let (_, body) = data.split_once("\n\n").unwrap_or(("", data));
    if data.contains("Content-Transfer-Encoding: base64") {
        use base64ct::Encoding as _;
        let joined: String = body.lines().collect();
        return String::from_utf8(base64ct::Base64::decode_vec(&joined).unwrap()).unwrap();
    }
    if data.contains("Content-Transfer-Encoding: quoted-printable") {
        let joined = body.replace("=\n", "");
        let mut bytes = Vec::new();
        let mut chars = joined.bytes();
        while let Some(byte) = chars.next() {
            if byte == b'=' {
                let high = chars.next().unwrap();
                let low = chars.next().unwrap();
                bytes.push(u8::from_str_radix(&format!("{}{}", high as char, low as char), 16).unwrap());
            } else {
                bytes.push(byte);
            }
        }
        return String::from_utf8(bytes).unwrap();
    }
    body.to_owned()
}
