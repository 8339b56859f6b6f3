#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| dakwacht_fuzzing::rules_file(data));
