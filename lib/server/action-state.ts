// Shared by server actions and the client components that show their result: no server imports.
export type ActionState = {
  status: 'idle' | 'success' | 'error';
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  data?: Record<string, string>;
};

export const idle: ActionState = { status: 'idle' };
