//! The cheapest HTTP/1.1 server that can answer the revoke route: raw TCP on 127.0.0.1,
//! keep-alive, `204 No Content` for `POST /_apis/tokenadministration/tokenrevocations?...`
//! and `404` for anything else. It runs on its own thread with its own current-thread
//! runtime, and stops when dropped.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ROUTE: &[u8] = b"POST /_apis/tokenadministration/tokenrevocations?";
const NO_CONTENT: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";
const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";

pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    capture: AtomicBool,
    captured: Mutex<Vec<Vec<u8>>>,
}

impl Server {
    pub fn start() -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    while let Ok((stream, _)) = listener.accept().await {
                        if thread_shared.stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let _ = stream.set_nodelay(true);
                        tokio::spawn(connection(stream, Arc::clone(&thread_shared)));
                    }
                });
            })?;
        Ok(Server {
            addr,
            shared,
            thread: Some(thread),
        })
    }

    /// Records every request (head and body) from now on.
    pub fn start_capture(&self) {
        self.shared.capture.store(true, Ordering::SeqCst);
    }

    /// Stops recording and returns what was recorded.
    pub fn take_captured(&self) -> Vec<Vec<u8>> {
        self.shared.capture.store(false, Ordering::SeqCst);
        std::mem::take(
            &mut *self
                .shared
                .captured
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = std::net::TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves one keep-alive connection until the client closes it.
async fn connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        // Read until a whole request (head and Content-Length body) is buffered.
        let (head_end, total) = loop {
            if let Some(end) = find(&buf, b"\r\n\r\n") {
                let len = content_length(&buf[..end]);
                if buf.len() >= end + 4 + len {
                    break (end, end + 4 + len);
                }
            }
            match stream.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        if shared.capture.load(Ordering::Relaxed)
            && let Ok(mut c) = shared.captured.lock()
        {
            c.push(buf[..total].to_vec());
        }
        let response = if buf[..head_end].starts_with(ROUTE) {
            NO_CONTENT
        } else {
            NOT_FOUND
        };
        buf.drain(..total);
        if stream.write_all(response).await.is_err() {
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = std::str::from_utf8(line).ok()?.trim();
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .next()
        .unwrap_or(0)
}
