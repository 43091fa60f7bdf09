/** Training: autodiff over fused ops, optimizers, data loaders, pre-training, distillation, LoRA fine-tuning, SFT. */
package dev.orchard.train;
