#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dakwacht_fuzzing::web_request(data));
