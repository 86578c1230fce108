package dev.warden.check;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The software stack a job runs on, as `warden env lock` records it in warden.lock. Package names
 * are normalized (PEP 503: lower case, runs of -_. become -). Null means not present/unknown.
 */
public record EnvSnapshot(
        int lockVersion,
        String capturedAt,
        String python,
        String pythonVersion,
        String torch,
        String torchCuda,
        String torchHip,
        String driver,
        String nvcc,
        SortedMap<String, String> packages) {

    public EnvSnapshot {
        packages = packages == null ? new TreeMap<>() : new TreeMap<>(packages);
    }

    public EnvSnapshot withDriver(String newDriver) {
        return new EnvSnapshot(lockVersion, capturedAt, python, pythonVersion, torch, torchCuda, torchHip, newDriver, nvcc, packages);
    }

    public static String normalize(String packageName) {
        return packageName.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
