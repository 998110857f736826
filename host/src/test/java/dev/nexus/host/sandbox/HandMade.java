package dev.nexus.host.sandbox;

import java.util.function.Consumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Hand-made class files (ASM), for bytecode javac would never emit: arbitrary bootstrap methods,
 * method-handle constants, forged class names. Each is a public class implementing
 * {@code FitnessFunction} with a public no-argument constructor, so the only reasons to refuse it are
 * the ones under test.
 */
final class HandMade {

    static final String FITNESS = "dev/nexus/api/evolution/FitnessFunction";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
    private static final String BSM_DESCRIPTOR =
            "(L" + LOOKUP + ";Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;";

    private HandMade() {}

    /** A fitness class named {@code name} whose static {@code attack()} method has the given body. */
    static byte[] fitness(String name, Consumer<MethodVisitor> attackBody) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(
                Opcodes.V21,
                Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER,
                name,
                null,
                "java/lang/Object",
                new String[] {FITNESS});
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor attack = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "attack", "()V", null, null);
        attack.visitCode();
        attackBody.accept(attack);
        attack.visitInsn(Opcodes.RETURN);
        attack.visitMaxs(0, 0);
        attack.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** invokedynamic whose bootstrap is the class's own method: links whatever that method decides. */
    static byte[] ownBootstrap(String name) {
        byte[] bytes = fitness(name, code -> {
            code.visitInvokeDynamicInsn(
                    "run", "()V", new Handle(Opcodes.H_INVOKESTATIC, name, "bsm", BSM_DESCRIPTOR, false));
        });
        return bytes;
    }

    /** A lambda (LambdaMetafactory, allowed) whose implementation is {@code Runtime.getRuntime()} (denied). */
    static byte[] lambdaToRuntime(String name) {
        return fitness(name, code -> {
            code.visitInvokeDynamicInsn(
                    "get",
                    "()Ljava/util/function/Supplier;",
                    new Handle(
                            Opcodes.H_INVOKESTATIC,
                            "java/lang/invoke/LambdaMetafactory",
                            "metafactory",
                            "(L" + LOOKUP
                                    + ";Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;"
                                    + "Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;",
                            false),
                    Type.getMethodType("()Ljava/lang/Object;"),
                    new Handle(
                            Opcodes.H_INVOKESTATIC, "java/lang/Runtime", "getRuntime", "()Ljava/lang/Runtime;", false),
                    Type.getMethodType("()Ljava/lang/Runtime;"));
            code.visitInsn(Opcodes.POP);
        });
    }

    /** Loads a method handle to {@code System.exit} as a constant. */
    static byte[] handleConstant(String name) {
        return fitness(name, code -> {
            code.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/System", "exit", "(I)V", false));
            code.visitInsn(Opcodes.POP);
        });
    }

    /** Loads a dynamically computed constant whose bootstrap is the class's own method. */
    static byte[] constantDynamic(String name) {
        return fitness(name, code -> {
            code.visitLdcInsn(new ConstantDynamic(
                    "x",
                    "Ljava/lang/Object;",
                    new Handle(
                            Opcodes.H_INVOKESTATIC,
                            name,
                            "bsm",
                            "(L" + LOOKUP + ";Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;",
                            false)));
            code.visitInsn(Opcodes.POP);
        });
    }

    /** A fitness class that also declares a native method. */
    static byte[] nativeMethod(String name) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        new org.objectweb.asm.ClassReader(fitness(name, code -> {})).accept(writer, 0);
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_NATIVE, "escape", "()V", null, null)
                .visitEnd();
        return writer.toByteArray();
    }

    /** A fitness class whose nest host is a JDK class. */
    static byte[] foreignNestHost(String name) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", new String[] {
            FITNESS
        });
        writer.visitNestHost("java/lang/System");
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A module descriptor. */
    static byte[] moduleInfo() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V21, Opcodes.ACC_MODULE, "module-info", null, null, null);
        writer.visitModule("evil", 0, null).visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A fitness class carrying one annotation nested {@code depth} deep (written iteratively: ASM's writer does not recurse). */
    static byte[] deepAnnotation(String name, int depth) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        new org.objectweb.asm.ClassReader(fitness(name, code -> {}))
                .accept(
                        new org.objectweb.asm.ClassVisitor(Opcodes.ASM9, writer) {
                            @Override
                            public void visitEnd() {
                                java.util.ArrayDeque<org.objectweb.asm.AnnotationVisitor> open =
                                        new java.util.ArrayDeque<>();
                                org.objectweb.asm.AnnotationVisitor annotation =
                                        super.visitAnnotation("Levil/Deep;", false);
                                open.push(annotation);
                                for (int i = 0; i < depth; i++) {
                                    annotation = annotation.visitAnnotation("v", "Levil/Deep;");
                                    open.push(annotation);
                                }
                                while (!open.isEmpty()) {
                                    open.pop().visitEnd();
                                }
                                super.visitEnd();
                            }
                        },
                        0);
        return writer.toByteArray();
    }

    /** A fitness class calling {@code count} distinct (made-up) static methods of {@code java/lang/Math}: a report bomb. */
    static byte[] manySymbols(String name, int count) {
        return fitness(name, code -> {
            for (int i = 0; i < count; i++) {
                code.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "f" + i, "()V", false);
            }
        });
    }

    /** A class calling {@code count} distinct methods of its own (each a reference the scan must judge): a scan-cost bomb. */
    static byte[] manyOwnCalls(String name, int offset, int count) {
        return fitness(name, code -> {
            for (int i = offset; i < offset + count; i++) {
                code.visitMethodInsn(Opcodes.INVOKESTATIC, name, "m" + i, "()V", false);
            }
        });
    }

    /** A fitness class whose attack calls {@code owner.name descriptor} statically with no arguments pushed (never run). */
    static byte[] callsStatic(String name, String owner, String method, String descriptor) {
        return fitness(name, code -> code.visitMethodInsn(Opcodes.INVOKESTATIC, owner, method, descriptor, false));
    }
}
