package dev.nexus.host.sandbox;

import dev.nexus.host.sandbox.ExternalSymbol.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.ModuleVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

/**
 * Everything one class file refers to, and the facts about the class itself that admission needs
 * (name, super types, declared members, native methods, nest mates). Reads with ASM, skipping only
 * debug information (local variable names and line numbers, which the JVM never resolves). Built once
 * by {@link #of}, then read-only; confined to the thread that built it.
 */
final class ClassReferences extends ClassVisitor {

    /** One reference; {@code owner} is an internal name, {@code name} and {@code descriptor} empty for types. */
    record Reference(Kind kind, String owner, String name, String descriptor) {}

    String name = "";
    String superName = "";
    List<String> interfaces = List.of();
    int access;
    int version;
    /** Declared methods as {@code name + descriptor}, with their access flags. */
    final Map<String, Integer> methods = new HashMap<>();
    /** Declared fields as {@code name + " " + descriptor}. */
    final Set<String> fields = new HashSet<>();
    /** Nest host, nest members and permitted subclasses: must all be in the same jar. */
    final Set<String> mates = new LinkedHashSet<>();

    final Set<Reference> references = new LinkedHashSet<>();
    final List<String> problems = new ArrayList<>();
    private int added;

    private ClassReferences() {
        super(Opcodes.ASM9);
    }

    /** Reads {@code classFile}; throws a RuntimeException when ASM cannot parse it. */
    static ClassReferences of(byte[] classFile) {
        ClassReferences references = new ClassReferences();
        new ClassReader(classFile).accept(references, ClassReader.SKIP_DEBUG);
        return references;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.version = version;
        this.access = access;
        this.name = name;
        this.superName = superName == null ? "" : superName;
        this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
        if ((access & Opcodes.ACC_MODULE) != 0) {
            problems.add(
                    JarContents.cap(name) + " is a module descriptor: build a plain jar without module-info.class");
        }
        if (superName != null) {
            type(superName);
        }
        this.interfaces.forEach(this::type);
    }

    @Override
    public ModuleVisitor visitModule(String name, int access, String version) {
        return null;
    }

    @Override
    public void visitNestHost(String nestHost) {
        mates.add(nestHost);
    }

    @Override
    public void visitNestMember(String nestMember) {
        mates.add(nestMember);
    }

    @Override
    public void visitPermittedSubclass(String permittedSubclass) {
        mates.add(permittedSubclass);
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
        return annotation(descriptor);
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
        return annotation(descriptor);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
        fields.add(name + " " + descriptor);
        types(descriptor);
        return new FieldVisitor(api) {
            @Override
            public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                return annotation(annotation);
            }

            @Override
            public AnnotationVisitor visitTypeAnnotation(
                    int typeRef, TypePath typePath, String annotation, boolean visible) {
                return annotation(annotation);
            }
        };
    }

    @Override
    public MethodVisitor visitMethod(
            int access, String name, String descriptor, String signature, String[] exceptions) {
        methods.put(name + descriptor, access);
        if ((access & Opcodes.ACC_NATIVE) != 0) {
            problems.add(JarContents.cap(this.name) + " declares native method " + JarContents.cap(name + descriptor)
                    + ": native code is not allowed");
        }
        if (name.equals("finalize") && descriptor.equals("()V")) {
            problems.add(JarContents.cap(this.name)
                    + " declares finalize(): finalizers run on a JVM thread outside any call's time limit");
        }
        types(descriptor);
        if (exceptions != null) {
            for (String exception : exceptions) {
                type(exception);
            }
        }
        return new Code();
    }

    /** The references inside one method body. */
    private final class Code extends MethodVisitor {
        Code() {
            super(Opcodes.ASM9);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
            return null;
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(
                int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public AnnotationVisitor visitInsnAnnotation(
                int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public AnnotationVisitor visitTryCatchAnnotation(
                int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public AnnotationVisitor visitLocalVariableAnnotation(
                int typeRef,
                TypePath typePath,
                Label[] start,
                Label[] end,
                int[] index,
                String descriptor,
                boolean visible) {
            return annotation(descriptor);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            type(type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            add(Kind.FIELD, owner, name, descriptor);
            types(descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            add(Kind.METHOD, owner, name, descriptor);
            types(descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            add(Kind.BOOTSTRAP, bootstrap.getOwner(), bootstrap.getName(), bootstrap.getDesc());
            types(descriptor);
            for (Object argument : arguments) {
                bootstrapArgument(argument);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            switch (value) {
                case Type t
                when t.getSort() == Type.METHOD -> add(Kind.METHOD_TYPE_CONSTANT, "", "", t.getDescriptor());
                case Type t -> type(t.getInternalName());
                case Handle h -> add(Kind.METHOD_HANDLE_CONSTANT, h.getOwner(), h.getName(), h.getDesc());
                case ConstantDynamic c ->
                    add(
                            Kind.CONSTANT_DYNAMIC,
                            c.getBootstrapMethod().getOwner(),
                            c.getBootstrapMethod().getName(),
                            c.getBootstrapMethod().getDesc());
                default -> {}
            }
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
            types(descriptor);
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (type != null) {
                type(type);
            }
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            for (Object[] slots : new Object[][] {local, stack}) {
                if (slots != null) {
                    for (Object slot : slots) {
                        if (slot instanceof String typeName) {
                            type(typeName);
                        }
                    }
                }
            }
        }
    }

    private void bootstrapArgument(Object argument) {
        switch (argument) {
            case Handle h -> {
                boolean field = h.getTag() <= Opcodes.H_PUTSTATIC;
                add(field ? Kind.FIELD : Kind.METHOD, h.getOwner(), h.getName(), h.getDesc());
                types(h.getDesc());
            }
            case Type t when t.getSort() == Type.METHOD -> types(t.getDescriptor());
            case Type t -> type(t.getInternalName());
            case ConstantDynamic c ->
                add(
                        Kind.CONSTANT_DYNAMIC,
                        c.getBootstrapMethod().getOwner(),
                        c.getBootstrapMethod().getName(),
                        c.getBootstrapMethod().getDesc());
            default -> {}
        }
    }

    private AnnotationVisitor annotation(String descriptor) {
        Type type = Type.getType(descriptor);
        if (type.getSort() == Type.OBJECT) {
            add(Kind.ANNOTATION, type.getInternalName(), "", "");
        }
        return null;
    }

    /** Adds every object type named by a field or method descriptor. */
    private void types(String descriptor) {
        if (descriptor.startsWith("(")) {
            for (Type argument : Type.getArgumentTypes(descriptor)) {
                type(argument);
            }
            type(Type.getReturnType(descriptor));
        } else {
            type(Type.getType(descriptor));
        }
    }

    private void type(Type type) {
        Type element = type.getSort() == Type.ARRAY ? type.getElementType() : type;
        if (element.getSort() == Type.OBJECT) {
            add(Kind.TYPE, element.getInternalName(), "", "");
        }
    }

    /** Adds an internal name or array descriptor as a type reference. */
    private void type(String internalName) {
        if (internalName.startsWith("[")) {
            type(Type.getType(internalName));
        } else {
            add(Kind.TYPE, internalName, "", "");
        }
    }

    private void add(Kind kind, String owner, String name, String descriptor) {
        if ((++added & 0x3FF) == 0) {
            BytecodeScanner.checkBudget();
        }
        references.add(new Reference(kind, owner, name, descriptor));
    }
}
