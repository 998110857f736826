package dev.nexus.host.sandbox;

/** Judges a jar before anything of it runs; the real one is {@link BytecodeScanner#scan}. */
@FunctionalInterface
interface Admission {

    /** Returns the report on {@code jar}, whose file name is {@code fileName}; never throws for hostile input. */
    AdmissionReport judge(String fileName, byte[] jar);
}
