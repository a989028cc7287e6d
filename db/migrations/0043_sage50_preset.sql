-- Sage 50 (Ciel Compta)'s XImport joins the presets a client's entries can be handed over in.
ALTER TYPE "public"."export_preset" ADD VALUE 'sage50';
